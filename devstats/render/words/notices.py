"""The notices (devstats/model/notices.py) in Korean, one sentence per code.

The register of templates/ko.md.j2: casual 반말, the English technical nouns Korean developers use
(PR, private, baseline, gh-pages), Hangul for the rest (커밋, 레포, 기여, 스타). No particle
follows a `{param}` whose reading decides it (은/는, 이/가): the sentence cannot choose one;
"의", "까지", "부터" and counters are safe after anything.
"""

from __future__ import annotations

from devstats.model.notices import ENGLISH, Wording

# The post's English: the JSON's messages (devstats/model/notices.py) are written for whoever runs
# devstats ("retrieved", "for this token"); a reader is told the same in the words the post uses.
ENGLISH_NOTICES: dict[str, Wording] = {
    **ENGLISH,
    "commits-differ-in-repository": Wording(
        "{repository}: GitHub counts {counted} commit contributions in {year} and {retrieved} "
        "commits could be read; the days that differ (UTC day: GitHub/read): {days}.",
        # the tails already speak the reader's words
        tails=ENGLISH["commits-differ-in-repository"].tails,
    ),
    "commits-fewer-than-counted": Wording(
        "GitHub counts {counted} commit contributions in {year}, and {retrieved} of them could "
        "be read.",
        tails=(
            (
                "unlisted",
                " {unlisted} are in repositories GitHub does not show, such as private ones.",
            ),
            (
                "repositories",
                " The counts differ in {repositories} repositories, noted one by one.",
            ),
            (
                "restricted",
                " The profile also shares {restricted} private contributions, counted without "
                "details.",
            ),
        ),
    ),
    "commits-more-than-counted": Wording(
        "{retrieved} commits could be read for {year}, {difference} more than the {counted} "
        "commit contributions GitHub counts.",
        tails=(
            (
                "repositories",
                " The counts differ in {repositories} repositories, noted one by one.",
            ),
        ),
    ),
    "stars-lower-bound": Wording(
        "{repository} gained at least the stars shown in {year}: not every stargazer could be read."
    ),
    "repositories-capped": Wording(
        "GitHub lists at most {limit} repositories with commits per query, and {window} alone "
        "reached that, so some repositories may be missing."
    ),
    "repository-gone": Wording(
        "{repository} could not be read (deleted, renamed or made private since), so its "
        "commits are missing.",
        tails=(("counted", " GitHub counts {counted} commit contributions there in {year}."),),
    ),
    "repository-unreadable": Wording(
        "{repository} could not be read, so its commits are missing.",
        tails=(("counted", " GitHub counts {counted} commit contributions there in {year}."),),
    ),
    "downloads-month-partial": Wording(
        "Only part of {months} is known for {package}, so it is left out of the monthly figures."
    ),
    "downloads-last-month-unknown": Wording(
        "{package}'s downloads of {month} are unknown: pypistats.org keeps only the last 180 days."
    ),
    "downloads-no-files": Wording(
        "PyPI lists no uploaded files for {package}, so it has no download total."
    ),
    "downloads-total-short": Wording("{package}'s download total runs only to {end}, not {limit}."),
    "downloads-months-missing": Wording(
        "{package}'s downloads of {months} are unknown: no source holds every day of them."
    ),
    "downloads-history-low": Wording(
        "PyPI's download log is known to undercount downloads before {until}, and {package}'s "
        "downloads began before then."
    ),
    "downloads-history-starts": Wording(
        "PyPI's download log starts in {start}; {package}'s downloads before it are not in the "
        "total."
    ),
    "downloads-sources-differ": Wording(
        "For {month}, pypistats.org counts {pypistats} downloads of {package} and {engine} "
        "{other} ({percent} apart); the monthly figures use pypistats.org. {rule}"
    ),
}

KOREAN_NOTICES: dict[str, Wording] = {
    "repositories-capped": Wording(
        "GitHub는 쿼리 한 번에 커밋이 있는 레포를 {limit}개까지만 보여 주는데, {window} 구간 "
        "하나만으로 그 한도를 채웠다. 빠진 레포가 있을 수 있다."
    ),
    "repository-gone": Wording(
        "{repository}: 레포를 읽을 수 없어서(그사이 삭제됐거나 이름이 바뀌었거나 private이 된 "
        "것 같다) 그 레포의 커밋은 빠졌다.",
        tails=(("counted", " GitHub는 {year}년 그 레포의 커밋 기여를 {counted}개로 센다."),),
    ),
    "repository-unreadable": Wording(
        "{repository}: 레포를 읽을 수 없어서 그 레포의 커밋은 빠졌다.",
        tails=(("counted", " GitHub는 {year}년 그 레포의 커밋 기여를 {counted}개로 센다."),),
    ),
    "commits-differ-in-repository": Wording(
        "{repository}: {year}년에 GitHub는 커밋 기여를 {counted}개로 세는데 읽은 커밋은 "
        "{retrieved}개다. 수가 다른 날은 다음과 같다(UTC 날짜: GitHub/읽은 수): {days}.",
        tails=(
            ("more_days", " 이 밖에도 {more_days}일이 더 다르다."),
            (
                "branch",
                " 이 레포에는 {branch} 브랜치도 있어서 GitHub는 거기 커밋까지 세는데, 여기서는 "
                "기본 브랜치만 읽는다.",
            ),
            (
                "late",
                " 그날 author date로 만든 커밋이라도 {late} 이후에 커밋된 건 읽지 않아서, 그보다 "
                "늦게 rebase, cherry-pick, merge된 작업은 빠졌다.",
            ),
        ),
    ),
    "commits-fewer-than-counted": Wording(
        "GitHub는 {year}년 커밋 기여를 {counted}개로 세는데, 그중 읽을 수 있었던 커밋은 "
        "{retrieved}개다.",
        tails=(
            ("unlisted", " {unlisted}개는 GitHub가 보여 주지 않는 레포(비공개 레포 등)에 있다."),
            ("repositories", " 수가 다른 레포 {repositories}곳은 따로 적었다."),
            (
                "restricted",
                " 프로필에 공유된 비공개 기여 {restricted}건은 내용 없이 숫자로만 잡힌다.",
            ),
        ),
    ),
    "commits-more-than-counted": Wording(
        "읽은 커밋은 {retrieved}개로, GitHub가 세는 {year}년 커밋 기여 {counted}개보다 "
        "{difference}개 많다.",
        tails=(("repositories", " 수가 다른 레포 {repositories}곳은 따로 적었다."),),
    ),
    "stars-lower-bound": Wording(
        "{repository}에 {year}년 늘어난 스타는 적어도 적힌 만큼이다. 스타를 준 사람 목록을 끝까지 "
        "읽지 못했다."
    ),
    "events-unavailable": Wording(
        "GitHub 이벤트 기록({engine})을 읽지 못해서 스타는 GitHub stargazer 목록으로 셌고, "
        "받은 PR은 뺐다. 이유: {reason}"
    ),
    "events-behind": Wording(
        "GitHub 이벤트 기록이 {through}까지만 들어와 있어서 그 뒤에 받은 PR은 아직 세지 못했다.",
        tails=(("stars", " 스타도 마찬가지다."),),
    ),
    "downloads-not-listed": Wording(
        "{package}: pypistats.org에 다운로드 데이터가 없다. pypistats.org는 첫 다운로드 "
        "다음 날부터 잡고 180일이 지난 날은 지운다."
    ),
    "downloads-unavailable": Wording(
        "{package}: 다운로드 수치는 빼고 만들었다(--allow-partial). 이유: {reason}"
    ),
    "downloads-month-partial": Wording(
        "{package}: {months} 다운로드 데이터가 일부 날짜만 있어서 월별 수치에서 뺐다."
    ),
    "downloads-last-month-unknown": Wording(
        "{package}: {month} 다운로드 수는 알 수 없다(pypistats.org는 최근 180일 치만 갖고 있다)."
    ),
    "downloads-no-files": Wording("{package}: PyPI에 올라간 파일이 없어서 누적 다운로드도 없다."),
    "downloads-total-unknown": Wording(
        "{package}: 누적 다운로드는 알 수 없다. --downloads-source를 auto, clickhouse, bigquery 중 "
        "하나로 하거나, PEPY_API_KEY를 설정해서 pepy.tech의 total을 쓰거나, baseline(어느 날 "
        "이전까지의 다운로드 수)을 넣어 두고 다운로드 기록을 계속 쌓으면 된다."
    ),
    "downloads-total-short": Wording(
        "{package}: 누적 다운로드는 {limit}까지가 아니라 {end}까지만 센 값이다."
    ),
    "downloads-store-gap": Wording(
        "{package}: 다운로드 기록에 {baseline} 이전까지의 baseline은 있는데, 그 뒤로 {end}까지 "
        "{missing}일 치가 비어 있어서({days}) 누적 다운로드를 알 수 없다."
    ),
    "downloads-over-budget": Wording(
        "{package}: {first}부터 {last}까지의 다운로드를 세는 BigQuery 쿼리는 예상 스캔량"
        "({estimate})이 한도({limit}, --bigquery-max-bytes)보다 커서 보내지 않았다. 그래서 "
        "누적 다운로드는 알 수 없다."
    ),
    "downloads-history-unavailable": Wording(
        "{package}: 다운로드 기록 엔진에서 월별 수치와 누적 다운로드를 받지 못해서 빼고 "
        "만들었다(--allow-partial). 이유: {reason}"
    ),
    "downloads-months-missing": Wording(
        "{package}: {months} 다운로드 수는 알 수 없다. 그달의 날짜를 모두 가진 출처가 없다."
    ),
    "downloads-history-low": Wording(
        "{package}: PyPI 다운로드 로그는 {until} 이전 다운로드를 적게 센다고 알려져 있는데, "
        "이 패키지는 그 전부터 다운로드됐다."
    ),
    "downloads-history-starts": Wording(
        "{package}: PyPI 다운로드 로그는 {start}년부터 있어서 그 전 다운로드는 누적에 들어가지 "
        "않았다."
    ),
    "downloads-sources-differ": Wording(
        "{package}: {month} 다운로드가 pypistats.org 기준 {pypistats}회, {engine} 기준 "
        "{other}회로 {percent} 차이 난다. 월별 수치는 pypistats.org 쪽을 썼다."
    ),
    "downloads-pepy-failed": Wording(
        "{package}: pepy.tech에서 누적 다운로드를 가져오지 못했다. 이유: {reason}"
    ),
    "downloads-pepy-range": Wording(
        "{package}: pepy.tech의 total은 {last}까지 센 값인데 일별 수치가 {first}부터밖에 없어서, "
        "{limit} 기준 누적 다운로드는 알 수 없다."
    ),
}
