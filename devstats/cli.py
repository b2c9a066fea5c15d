"""The command line. `devstats YEAR ...` parses the flags, builds the settings
(devstats/settings/settings.py) and hands them to `run.pipeline.run`, which makes (or takes the
kept) report, renders and publishes it; it shows progress on stderr and turns every failure into
one line and an exit code. `devstats cache info|clear` manages the cache of upstream answers
(devstats/http/cache/command.py). The figures' definitions are in `--help`."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from typer.core import TyperCommand, TyperGroup

from devstats import DOCS_URL, __version__
from devstats.model.errors import DevstatsError
from devstats.settings.settings import Settings, load_settings

# The options with a fixed set of values: a Literal makes Typer check them and complete them.
Format = Literal["markdown", "json"]
Lang = Literal["en", "ko"]
AssetsFormat = Literal["svg", "png", "both"]
Detail = Literal["brief", "full"]
DownloadsSource = Literal["auto", "pypistats", "clickhouse", "bigquery"]

# What --notes completes to: the placements, not their earlier name "reader", nor a file.
NOTES_WORDS = ("footnote", "none", "all")


def _notes_words(incomplete: str) -> list[str]:
    return [word for word in NOTES_WORDS if word.startswith(incomplete)]


FIGURES = f"""\
Figures (see {DOCS_URL}/definitions.md):
contributions.total = the profile calendar's total for the year (commits, pull requests, issues,
reviews, repositories created, and private contributions when shared).
commits.total = the user's own commits on the default branch of each repository GitHub lists
with commit contributions, counted as GitHub counts them: by author date in the year (UTC, or
--timezone), once per repository; equal to contributions.commits when every repository could be
read. Where they differ, a note names the repository and days. GitHub's rules:

\b
https://docs.github.com/en/account-and-profile/reference/profile-contributions-reference

commits.automated = those with at least one automation reason (excluded-repository, bot-account,
actions-identity, message-pattern, scheduled-cadence), counted once under the first reason.
commits.human = commits.total - commits.automated ("real commits").
pull_requests.external = pull requests the user opened in the year in repositories owned by
someone else (not the user, not the organisations listed as the user's own).
downloads.total = all-time downloads (UTC days) through total_window's end: the history engine's
months since 2016 summed (ClickPy or BigQuery), carried to yesterday by pypistats.org's days, or a
baseline + stored days, or pepy.tech; downloads.last_month = the last calendar month of the year
that has ended; downloads.monthly = calendar months of the year known in full; every download
figure carries its window, source and mirror mode; unknown is null, never 0.
highlights = streaks, busiest day and month, weekday and hour of real commits, first contributions,
help given and releases shipped, all on real work in --timezone.
Exit codes: 0 ok, 2 usage/config/template or an output found unusable before the first request,
3 not found, 4 authentication, 5 upstream unavailable, 6 output could not be written at the end.
"""

REPORT = "report"


class _Commands(TyperGroup):
    """`devstats YEAR [OPTIONS]` makes a report; `devstats cache info|clear` manages the cache.

    The report is a command of its own ("report", hidden), taken whenever the first word is not
    another command, so `devstats 2022 --user x` keeps working and `devstats cache <TAB>`
    completes like any subcommand."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        own = {"--install-completion", "--show-completion"}  # this group's own options
        first = args[0].split("=", 1)[0] if args else None
        if first is None and ctx.resilient_parsing:
            pass  # completing the first word: offer the commands
        elif first not in self.commands and first not in own:
            args = [REPORT, *args]
        return super().parse_args(ctx, args)


class _Report(TyperCommand):
    """The report, whose usage line reads `devstats [OPTIONS] YEAR`: "report" is never typed."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        root = ctx.find_root().info_name or "devstats"
        formatter.write_usage(root, " ".join(self.collect_usage_pieces(ctx)))


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
app = typer.Typer(
    cls=_Commands,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings=CONTEXT,
)
cache_app = typer.Typer(
    context_settings=CONTEXT,
    help="Show or empty the cache of upstream answers (and the reports kept for a rerun).",
    add_completion=False,
    rich_markup_mode=None,
    epilog="The folder is $DEVSTATS_CACHE_DIR, or the user's cache folder. A run with --refresh "
    "asks upstream again without clearing anything; --replay and --record never use the cache.",
)
app.add_typer(cache_app, name="cache")
log = logging.getLogger("devstats")


class _Progress:
    """Progress on stderr: lines with --verbose; one rewritten status line on a terminal."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self.live = not verbose and sys.stderr.isatty()
        self._width = 0

    def __call__(self, message: str) -> None:
        if self.verbose:
            print(f"devstats: {message}", file=sys.stderr)
        elif self.live:
            line = message[:100]
            sys.stderr.write("\r" + line.ljust(self._width))
            sys.stderr.flush()
            self._width = len(line)

    def done(self) -> None:
        if self.live and self._width:
            sys.stderr.write("\r" + " " * self._width + "\r")
            sys.stderr.flush()


def _run(settings: Settings, env: dict[str, str]) -> int:
    # Imported here, so that --help and --version do not load the HTTP stack.
    from devstats.run.pipeline import run

    progress = _Progress(settings.verbose)
    try:
        return run(settings, env, progress)
    finally:
        progress.done()


def _one_line(message: str) -> str:
    """Upstream messages (a GraphQL error, a template's source line) may span lines; the error
    report is one line, so scripts and CI logs show it whole."""
    return " ".join(message.split())


def _version(value: bool) -> None:
    if value:
        print(f"devstats {__version__}")
        raise typer.Exit(0)


def _year(text: str | int) -> int:
    """The YEAR argument: digits only, said in one line when it is anything else."""
    if isinstance(text, int):
        return text
    if not text.strip().isdigit():
        raise typer.BadParameter(f"the year must be a number such as 2022, not {text!r}")
    return int(text)


@app.command(REPORT, cls=_Report, hidden=True, epilog=FIGURES, context_settings=CONTEXT)
def devstats(
    year: Annotated[
        int,
        typer.Argument(
            metavar="YEAR", parser=_year, help="The calendar year to report, e.g. 2022."
        ),
    ],
    user: Annotated[
        str | None,
        typer.Option("--user", "-u", metavar="USER", help="GitHub login whose year to report."),
    ] = None,
    package: Annotated[
        list[str] | None,
        typer.Option(
            "--package",
            "-p",
            metavar="NAME",
            help="A PyPI package of the user's (repeatable); any spelling, normalised per PEP 503.",
        ),
    ] = None,
    format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            metavar="markdown|json",
            help="markdown (the 'Programming' section) or json (the full report, see the schema).",
        ),
    ] = None,
    lang: Annotated[
        Lang | None,
        typer.Option("--lang", metavar="en|ko", help="Language of the Markdown: en or ko."),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            metavar="FILE",
            help=f"A Jinja2 template to render instead of the built-in one (see {DOCS_URL}/templates.md).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE|-",
            help="Write to this file (atomically) instead of stdout.",
        ),
    ] = None,
    json_output: Annotated[
        Path | None,
        typer.Option(
            "--json-output",
            metavar="FILE|-",
            help="Also write the full report as JSON to this file (atomically), whatever --format says.",
        ),
    ] = None,
    inject: Annotated[
        Path | None,
        typer.Option(
            "--inject",
            metavar="FILE",
            help="Replace the block between <!-- devstats:start --> and <!-- devstats:end --> in this file.",
        ),
    ] = None,
    marker: Annotated[
        str | None,
        typer.Option(
            "--marker", metavar="NAME", help="Marker name for --inject (default: devstats)."
        ),
    ] = None,
    assets: Annotated[
        Path | None,
        typer.Option(
            "--assets",
            metavar="DIR",
            help="Folder to write the pictures to (heatmap, downloads, light and dark); the Markdown links them relatively.",
        ),
    ] = None,
    assets_format: Annotated[
        AssetsFormat | None,
        typer.Option(
            "--assets-format",
            metavar="svg|png|both",
            help="svg (default), png or both: the files --assets writes; the Markdown links .png only with png. PNG needs devstats[png].",
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            metavar="ZONE",
            help="IANA time zone of days, hours and the calendar-year boundaries (default: the zone your own commits were written in, with the year's bounds in UTC; UTC when fewer than 10 commits carry one).",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="Config file (default: ./devstats.toml, or [tool.devstats] in ./pyproject.toml).",
        ),
    ] = None,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline",
            help="Replay the bundled cassettes (or $DEVSTATS_CASSETTES); no network, no token.",
        ),
    ] = False,
    record: Annotated[
        Path | None,
        typer.Option(
            "--record",
            metavar="DIR",
            help="Save every HTTP exchange, scrubbed of secrets, as cassette files in DIR.",
        ),
    ] = None,
    replay: Annotated[
        Path | None,
        typer.Option(
            "--replay",
            metavar="DIR",
            help="Serve every HTTP request from the cassettes in DIR; an unrecorded request is an error.",
        ),
    ] = None,
    exclude_repo: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude-repo",
            metavar="GLOB",
            help="owner/name glob whose commits count as automated (excluded-repository); repeatable.",
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Print on stderr which commits were counted as automated and why."
        ),
    ] = False,
    compare: Annotated[
        bool, typer.Option("--compare", help="Also collect the previous year and show the change.")
    ] = False,
    include_prereleases: Annotated[
        bool,
        typer.Option(
            "--include-prereleases",
            help="Let a pre-release be the version as of the year's end, and count pre-releases among the year's releases.",
        ),
    ] = False,
    mirrors: Annotated[
        bool,
        typer.Option(
            "--mirrors",
            help="Count downloads by PyPI mirrors too (default: without mirrors, as pypistats.org does).",
        ),
    ] = False,
    # footnote, none, all, or a file's path: checked by the settings, not a fixed set of values
    notes: Annotated[
        str | None,
        typer.Option(
            "--notes",
            metavar="footnote|none|all|FILE",
            autocompletion=_notes_words,
            help="Where the notes on the figures go (sources, windows, the mirror rule, partial months, retrieval limits): footnote (default: a short block at the end of the post), none, all (the footnote with setup hints too), or a file such as notes.md. Setup hints always go to stderr; the JSON keeps everything.",
        ),
    ] = None,
    detail: Annotated[
        Detail | None,
        typer.Option(
            "--detail",
            metavar="brief|full",
            help="brief (default: the post a person pastes) or full (the monthly downloads, the languages and each source month by month).",
        ),
    ] = None,
    downloads_source: Annotated[
        DownloadsSource | None,
        typer.Option(
            "--downloads-source",
            metavar="auto|pypistats|clickhouse|bigquery",
            help=f"Where download history comes from: auto (pypistats.org for its last 180 days, ClickHouse's ClickPy for older months and the all-time total, BigQuery instead when a billing project is set), pypistats, clickhouse or bigquery. See {DOCS_URL}/downloads.md.",
        ),
    ] = None,
    events_source: Annotated[
        str | None,
        typer.Option(
            "--events-source",
            metavar="auto|clickhouse|github",
            help="Where the listed projects' stars and the pull requests others sent to them come from: auto (GitHub's public event history on ClickHouse, one query for every project, for a year it has loaded in full; GitHub's stargazer lists otherwise, or when it cannot be reached), clickhouse or github (stargazer lists only, no pull requests received). Stars are people with a star event in the year (events) or today's stargazers who starred in it (GitHub). See docs/events.md.",
        ),
    ] = None,
    bigquery_project: Annotated[
        str | None,
        typer.Option(
            "--bigquery-project",
            metavar="PROJECT",
            help="Google Cloud project billed for BigQuery queries (default: GOOGLE_CLOUD_PROJECT, then the credentials' project).",
        ),
    ] = None,
    bigquery_max_bytes: Annotated[
        int | None,
        typer.Option(
            "--bigquery-max-bytes",
            metavar="BYTES",
            help="Run no BigQuery query estimated to bill more than this many bytes (default 50000000000: 50 GB); its months come from ClickPy with --downloads-source auto, else they and the totals needing them are unknown, with a notice. See docs/downloads.md.",
        ),
    ] = None,
    allow_partial: Annotated[
        bool,
        typer.Option(
            "--allow-partial",
            help="Render even if download statistics are unavailable (their figures become null, with a warning).",
        ),
    ] = False,
    max_age: Annotated[
        str | None,
        typer.Option(
            "--max-age",
            metavar="AGE",
            help="Reuse a cached upstream answer up to this old (3600, 90m, 1h, 30d); default 1h for a year still open, 30d for one that has ended. A report made from cached answers is reused while they are.",
        ),
    ] = None,
    refresh: Annotated[
        bool,
        typer.Option("--refresh", help="Ask every upstream again; reuse nothing kept."),
    ] = False,
    history: Annotated[
        Path | None,
        typer.Option(
            "--history",
            metavar="FILE",
            help="The download history store (SQLite); default: the user data folder.",
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Progress, request counts and GraphQL cost on stderr; tracebacks on errors.",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Report one GitHub user's calendar year: contributions, real commits (automated ones filtered
    out and explained), pull requests to other people's projects, and PyPI downloads.

    `devstats cache info|clear` shows or empties the cache of upstream answers;
    `devstats --install-completion` sets up completion for the current shell."""
    env = dict(os.environ)
    flags = {
        "user": user,
        "packages": tuple(package or ()),
        "format": format,
        "lang": lang,
        "template": template,
        "output": output,
        "json_output": json_output,
        "inject": inject,
        "marker": marker,
        "assets": assets,
        "assets_format": assets_format,
        "timezone": timezone,
        "offline": offline or None,
        "record": record,
        "replay": replay,
        "exclude_repos": tuple(exclude_repo or ()),
        "explain": explain or None,
        "compare": compare or None,
        "allow_partial": allow_partial or None,
        "include_prereleases": include_prereleases or None,
        "mirrors": mirrors or None,
        "verbose": verbose or None,
        "history_path": history,
        "max_age": max_age,
        "refresh": refresh or None,
        "downloads_source": downloads_source,
        "events_source": events_source,
        "notes": notes,
        "detail": detail,
        "bigquery_project": bigquery_project,
        "bigquery_max_bytes": bigquery_max_bytes,
    }
    if verbose:
        logging.basicConfig(level=logging.INFO, format="devstats: %(message)s", stream=sys.stderr)
    try:
        settings = load_settings(year, flags, env=env, cwd=Path.cwd(), config_path=config)
        code = _run(settings, env)
    except DevstatsError as exc:
        if verbose:
            log.exception("failed")
        print(f"devstats: error: {_one_line(str(exc))}", file=sys.stderr)
        raise typer.Exit(exc.exit_code) from None
    except Exception as exc:  # a bug: still one line, the traceback only with --verbose
        if verbose:
            log.exception("internal error")
        print(
            f"devstats: internal error: {type(exc).__name__}: {_one_line(str(exc))} "
            "(run again with --verbose for the traceback, and please report it)",
            file=sys.stderr,
        )
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        print("devstats: interrupted", file=sys.stderr)
        raise typer.Exit(130) from None
    raise typer.Exit(code)


def _cache_said(action: Callable[[Mapping[str, str]], str]) -> None:
    try:
        print(action(os.environ), end="")
    except DevstatsError as exc:
        print(f"devstats: error: {_one_line(str(exc))}", file=sys.stderr)
        raise typer.Exit(exc.exit_code) from None


@cache_app.command("info")
def cache_info() -> None:
    """Show the cache folder, its number of entries and their size."""
    from devstats.http.cache.command import describe_cache

    _cache_said(describe_cache)


@cache_app.command("clear")
def cache_clear() -> None:
    """Remove every entry: upstream answers and the reports kept for a rerun."""
    from devstats.http.cache.command import clear_cache

    _cache_said(clear_cache)


def _usage_line(error: typer.TyperException) -> str:
    """Typer's usage error as one line, with the help to read for it."""
    context = getattr(error, "ctx", None)
    where = getattr(context, "command_path", "") or ""
    message = _one_line(error.format_message()).replace("Value error, ", "")
    if where.split()[1:2] == ["cache"]:
        if message.startswith("Missing command"):
            message = "devstats cache takes info or clear"
        return f"{message} (see devstats cache --help)"
    return f"{message} (see devstats --help)"


def main() -> None:
    try:
        code = app(prog_name="devstats", standalone_mode=False)
    except typer.TyperException as error:  # bad usage: one line, like every other error
        print(f"devstats: error: {_usage_line(error)}", file=sys.stderr)
        raise SystemExit(error.exit_code) from None
    except typer.Abort:
        print("devstats: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
