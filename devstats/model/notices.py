"""Every notice a report can carry: its stable code, its parameters and its English sentence.

Collectors make notices with `notice(code, **params)`; the English sentence becomes the notice's
`message` (and the JSON `warnings` entry). Renderers say the same in the report's language from
the same code and params (devstats/render/words/labels.py), falling back to `message` for a
code they do not know. A code is never renamed: templates and JSON consumers may match on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from devstats.model.facts import Notice

ParamValue = str | int | None


@dataclass(frozen=True)
class Wording:
    """A sentence with `{param}` fields, and optional sentences that only apply sometimes.

    Each `tails` entry is (param, sentence): the sentence is appended when that param is
    non-zero and non-empty, like "The profile also shares 38 restricted contributions".
    """

    text: str
    tails: tuple[tuple[str, str], ...] = ()

    def format(self, params: Mapping[str, ParamValue], shown: Mapping[str, str]) -> str:
        """The sentence with `shown` (the params as text) filled in; KeyError for a missing one."""
        text = self.text.format_map(shown)
        for name, tail in self.tails:
            if params.get(name):
                text += tail.format_map(shown)
        return text


ENGLISH: dict[str, Wording] = {
    # --- GitHub ---------------------------------------------------------------------------------
    "repositories-capped": Wording(
        "GitHub lists at most {limit} repositories with commits per query, and {window} alone "
        "reached that: some repositories may be missing"
    ),
    "repository-gone": Wording(
        "{repository}: the repository could not be read (deleted, renamed or private since); "
        "its commits are missing",
        tails=(("counted", "; GitHub counts {counted} commit contributions there in {year}"),),
    ),
    "repository-unreadable": Wording(
        "{repository}: the repository could not be read; its commits are missing",
        tails=(("counted", "; GitHub counts {counted} commit contributions there in {year}"),),
    ),
    "commits-differ-in-repository": Wording(
        "{repository}: GitHub counts {counted} commit contributions in {year} and {retrieved} "
        "commits were retrieved; the days that differ (UTC day: GitHub/retrieved): {days}.",
        tails=(
            ("more_days", " {more_days} more days differ as well."),
            (
                "branch",
                " The repository has a {branch} branch: GitHub counts its commits too, and only "
                "the default branch is read.",
            ),
            (
                "late",
                " Commits authored on those days but committed after {late} are not read, so "
                "work rebased, cherry-picked or merged later than that is missing.",
            ),
        ),
    ),
    "commits-fewer-than-counted": Wording(
        "GitHub counts {counted} commit contributions for {user} in {year}, and {retrieved} "
        "commits could be retrieved ({difference} fewer).",
        tails=(
            (
                "unlisted",
                " {unlisted} of them are in repositories GitHub does not list for this token, "
                "such as private ones.",
            ),
            (
                "repositories",
                " The counts differ in {repositories} listed repositories, each named in its "
                "own note.",
            ),
            (
                "restricted",
                " The profile also shares {restricted} restricted (private) contributions, "
                "counted without any details.",
            ),
        ),
    ),
    "commits-more-than-counted": Wording(
        "{retrieved} commits were retrieved for {user} in {year}, {difference} more than the "
        "{counted} commit contributions GitHub counts.",
        tails=(
            (
                "repositories",
                " The counts differ in {repositories} listed repositories, each named in its "
                "own note.",
            ),
        ),
    ),
    "stars-lower-bound": Wording(
        "stars gained by {repository} in {year} is a lower bound: not every page of stargazers "
        "was read"
    ),
    "events-unavailable": Wording(
        "GitHub's event history ({engine}) could not be read, so stars come from GitHub's "
        "stargazer lists and pull requests received are left out: {reason}"
    ),
    "events-behind": Wording(
        "GitHub's event history is loaded through {through}: pull requests received after that "
        "are not counted yet.",
        tails=(("stars", " Nor are stars given after that."),),
    ),
    # --- downloads ------------------------------------------------------------------------------
    "downloads-not-listed": Wording("{package}: {reason}"),
    "downloads-unavailable": Wording(
        "{package}: download figures left out (--allow-partial): {reason}"
    ),
    "downloads-month-partial": Wording(
        "{package}: download data covers only part of {months}; left out of the monthly figures"
    ),
    "downloads-last-month-unknown": Wording(
        "{package}: downloads of {month} are unknown (pypistats.org keeps only the last 180 days)"
    ),
    "downloads-no-files": Wording(
        "{package}: PyPI lists no uploaded files, so there is no download total"
    ),
    "downloads-total-unknown": Wording(
        "{package}: all-time downloads unknown; use --downloads-source auto, clickhouse or "
        "bigquery, set PEPY_API_KEY to use pepy.tech's total, or seed a baseline (downloads "
        "before a day) and keep the download store from now on"
    ),
    "downloads-total-short": Wording(
        "{package}: the download total runs only to {end}, not {limit}"
    ),
    "downloads-store-gap": Wording(
        "{package}: the download store has a baseline before {baseline} but lacks {missing} "
        "day(s) between it and {end} ({days}), so the all-time total is unknown"
    ),
    "downloads-over-budget": Wording(
        "BigQuery would scan {estimate} to count {package}'s downloads from {first} to {last}, "
        "over the {limit} limit (--bigquery-max-bytes): the all-time total is unknown"
    ),
    "downloads-history-unavailable": Wording(
        "{package}: no months or total from the download history engine (--allow-partial): {reason}"
    ),
    "downloads-months-missing": Wording(
        "{package}: downloads of {months} are unknown: no source holds every day of them"
    ),
    "downloads-history-low": Wording(
        "{package}: PyPI's download log is known to undercount downloads before {until}, and "
        "the package's downloads began before then"
    ),
    "downloads-history-starts": Wording(
        "{package}: PyPI's download log starts in {start}; downloads before it are not in the total"
    ),
    "downloads-sources-differ": Wording(
        "{package}: for {month}, pypistats.org counts {pypistats} and {engine} {other} "
        "({percent} apart); the monthly figures use pypistats.org. {rule}"
    ),
    "downloads-pepy-failed": Wording("{package}: no all-time total from pepy.tech: {reason}"),
    "downloads-pepy-range": Wording(
        "{package}: pepy.tech's total runs to {last} and its daily figures start {first}, so "
        "the total at {limit} is unknown"
    ),
}

CODES = tuple(ENGLISH)

# What only the person running devstats can act on: a key, a store, a source that failed under
# --allow-partial. The post says "unknown" where such a figure would be; the why goes to stderr.
OPERATOR_CODES = frozenset(
    {
        "downloads-not-listed",
        "downloads-unavailable",
        "downloads-total-unknown",
        "downloads-store-gap",
        "downloads-pepy-failed",
        "downloads-pepy-range",
        "downloads-history-unavailable",
        "downloads-over-budget",
        "events-unavailable",
    }
)


def english_value(value: ParamValue) -> str:
    """A param as the English message writes it: counts with thousands separators."""
    if value is None:
        return "unknown"
    if isinstance(value, int):
        return f"{value:,}"
    return value


def notice(code: str, **params: ParamValue) -> Notice:
    """The notice `code` with its English message. Counts are ints; years, dates, names strings.

    Raises KeyError for a code not in ENGLISH or a param its sentence needs but was not given.
    """
    shown = {name: english_value(value) for name, value in params.items()}
    return Notice(
        code=code,
        message=ENGLISH[code].format(params, shown),
        params=dict(params),
        audience="operator" if code in OPERATOR_CODES else "reader",
    )
