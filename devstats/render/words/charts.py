"""The words on the pictures (devstats/render/charts/__init__.py), per language.

Month names are the ones the Markdown uses (devstats/render/words/labels.py), so "Jul" or "7월"
reads the same in the text and on the chart. Korean follows the post register: plain, short, with
the post's counters (기여 N건, 커밋 N개, 다운로드 N회), so no particle follows a bare number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from devstats.render.words.labels import ENGLISH, KOREAN


@dataclass(frozen=True)
class ChartLabels:
    code: str
    months: tuple[str, ...]  # short names, January first
    weekdays: tuple[str, ...]  # short names, Sunday first (the heatmap's rows)
    day_format: str  # "{month}", "{day}": one calendar day
    # Downloads chart. Fields in braces are filled in by the chart.
    downloads_title: str  # "{package}", "{year}"
    downloads_summary: str  # "{total}", "{months}", "{peak}", "{peak_month}"
    downloads_summary_partial: str  # the same, when some months are unknown ("{months}" known)
    downloads_none: str  # no month known, or every known month is zero
    month_value: str  # "{month}", "{year}", "{value}": one bar's tooltip
    month_unknown: str  # "{month}", "{year}"
    unknown_months: tuple[str, str]  # "{n}": (one month, several months)
    # Heatmap.
    heatmap_title: str  # "{year}"
    heatmap_summary: str  # "{real}", "{days}"
    heatmap_automated: str  # "{automated}", "{days}": appended when there are automated commits
    colour_key: str  # what the colour counts, and how the steps are cut
    strip_key: str  # what the strip under each week shows
    strip_label: str  # the strip's row label, next to the weekday names
    busiest_key: str  # "{day}", "{real}"
    day_value: str  # "{day}", "{real}", "{automated}": one cell's tooltip
    separator: str  # between two clauses of a summary

    def day(self, value: date) -> str:
        return self.day_format.format(month=self.months[value.month - 1], day=value.day)

    def unknown(self, n: int) -> str:
        one, several = self.unknown_months
        return (one if n == 1 else several).format(n=n)


ENGLISH_CHARTS = ChartLabels(
    code="en",
    months=ENGLISH.months,
    weekdays=("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"),
    day_format="{month} {day}",
    downloads_title="{package} downloads per month, {year}",
    downloads_summary="{total} downloads in {months} months; peak {peak} in {peak_month}",
    downloads_summary_partial=(
        "{total} downloads in the {months} known months; peak {peak} in {peak_month}"
    ),
    downloads_none="no downloads counted",
    month_value="{month} {year}: {value} downloads",
    month_unknown="{month} {year}: no figure",
    unknown_months=("1 month without a figure", "{n} months without a figure"),
    heatmap_title="GitHub contributions in {year}",
    heatmap_summary="{real} real contributions on {days} days",
    heatmap_automated="{automated} automated commits on {days} days, shown in the strip",
    colour_key="colour: real contributions a day, in quartiles (automated commits left out)",
    strip_key="strip under each week: days with automated commits",
    strip_label="auto",
    busiest_key="busiest day: {day} ({real})",
    day_value="{day}: {real} real, {automated} automated",
    separator="; ",
)

KOREAN_CHARTS = ChartLabels(
    code="ko",
    months=KOREAN.months,
    weekdays=("일", "월", "화", "수", "목", "금", "토"),
    day_format="{month} {day}일",
    downloads_title="{package} 월별 다운로드 ({year}년)",
    downloads_summary="{months}개월 동안 {total}회, 최고 {peak_month} {peak}회",
    downloads_summary_partial="알 수 있는 {months}개월 동안 {total}회, 최고 {peak_month} {peak}회",
    downloads_none="집계된 다운로드 없음",
    month_value="{year}년 {month}: {value}회",
    month_unknown="{year}년 {month}: 수치 없음",
    unknown_months=("{n}개월은 수치 없음", "{n}개월은 수치 없음"),
    heatmap_title="{year}년 GitHub 기여",
    heatmap_summary="{days}일 동안 실제 기여 {real}건",
    heatmap_automated="자동 커밋 {automated}개({days}일)는 아래 띠로 표시",
    colour_key="색: 하루 실제 기여 수, 사분위 기준 (자동 커밋 제외)",
    strip_key="주마다 아래 띠: 자동 커밋이 있던 날 수",
    strip_label="자동",
    busiest_key="가장 바빴던 날: {day} ({real}건)",
    day_value="{day}: 실제 기여 {real}건, 자동 커밋 {automated}개",
    separator=" · ",
)

CHART_LABELS: dict[str, ChartLabels] = {"en": ENGLISH_CHARTS, "ko": KOREAN_CHARTS}
