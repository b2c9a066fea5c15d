"""The command line: parse flags, build settings, call the library, publish. Nothing more."""

from __future__ import annotations

import logging
import math
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import httpx
import typer

from devstats import __version__
from devstats.cassettes import RecordingTransport, ReplayTransport
from devstats.config import (
    Settings,
    default_cassettes,
    load_settings,
    require_user,
    resolve_token,
)
from devstats.errors import AuthenticationError, DevstatsError, ReplayMissError, UsageError
from devstats.http import HttpClient
from devstats.publish.outputs import OutputPlan

FIGURES = """\
Figures (see docs/definitions.md):
contributions.total = the profile calendar's total for the year (commits, pull requests, issues,
reviews, repositories created, and private contributions when shared).
commits.total = the user's own commits on default branches of repositories with commit
contributions in the year (by commit date in --timezone), each SHA once.
commits.automated = those with at least one automation reason (excluded-repository, bot-account,
actions-identity, message-pattern, scheduled-cadence), counted once under the first reason.
commits.human = commits.total - commits.automated ("real commits").
pull_requests.external = pull requests the user opened in the year in repositories owned by
someone else (not the user, not the organisations listed as the user's own).
downloads.total = all-time downloads through the window's end (baseline + stored days, or
pepy.tech); downloads.last_month = the last complete calendar month; downloads.monthly = complete
calendar months of the year; every download figure carries its window and source; unknown is null.
Exit codes: 0 ok, 2 usage/config/template, 3 not found, 4 authentication, 5 upstream unavailable,
6 output could not be written.
"""

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
log = logging.getLogger("devstats")
# A ceiling on DEVSTATS_RETRIES: a typo (1e9) must not keep a failing run retrying for days.
MAX_RETRIES = 10


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


def _now(env: dict[str, str], replay: ReplayTransport | None) -> datetime:
    """`DEVSTATS_NOW`, else the recording time of replayed cassettes, else the clock."""
    text = env.get("DEVSTATS_NOW") or (replay.recorded_at if replay else None)
    if text:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise UsageError(f"DEVSTATS_NOW is not an ISO date-time: {text!r}") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


def _retry_settings(env: dict[str, str]) -> dict[str, float]:
    """DEVSTATS_RETRIES, DEVSTATS_BACKOFF (seconds) and DEVSTATS_MAX_WAIT (seconds)."""
    names = {
        "DEVSTATS_RETRIES": "max_retries",
        "DEVSTATS_BACKOFF": "backoff",
        "DEVSTATS_MAX_WAIT": "max_wait",
    }
    chosen: dict[str, float] = {}
    for name, key in names.items():
        text = env.get(name)
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0:
            raise UsageError(f"{name} must be a number of 0 or more, not {text!r}")
        if key == "max_retries" and (value != int(value) or value > MAX_RETRIES):
            raise UsageError(f"{name} must be a whole number from 0 to {MAX_RETRIES}, not {text!r}")
        chosen[key] = value
    return chosen


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def run(settings: Settings, env: dict[str, str], history_path: Path | None) -> int:
    """Collect, render and publish one report; return the exit code."""
    from devstats.contract import dumps
    from devstats.history import IN_MEMORY, DownloadHistory, default_history_path
    from devstats.publish.outputs import plan_outputs, publish
    from devstats.report import build_report

    require_user(settings)  # before the token: it is the first thing to fix, and needs no network
    # Every output is checked before the first request: a bad target fails in a second.
    plan = plan_outputs(
        output=settings.output,
        json_output=settings.json_output,
        inject=settings.inject,
        marker=settings.marker,
        assets=settings.assets,
        format=settings.format,
    )
    progress = _Progress(settings.verbose)
    replay: ReplayTransport | None = None
    transport: httpx.BaseTransport | None = None
    token: str | None = None
    if settings.offline or settings.replay:
        replay = ReplayTransport(settings.replay or default_cassettes(env))
        transport = replay
    else:
        token = resolve_token(env)
        if not token:
            raise AuthenticationError(
                "no GitHub token found",
                hint="set GITHUB_TOKEN (or GH_TOKEN), or log in with `gh auth login`; "
                "use --offline to try the bundled example",
            )
        if settings.record:
            transport = RecordingTransport(
                settings.record,
                secrets=[token, env.get("PEPY_API_KEY", "")],
                recorded_at=datetime.now(UTC).isoformat(timespec="seconds"),
            )
    now = _now(env, replay)
    endpoints = settings.endpoints
    # pypistats.org allows about 30 requests a minute per client; replays need no pacing.
    pacing = {} if replay else {_host(endpoints.pypistats): 2.0}
    retry = _retry_settings(env)
    if history_path is None and replay is not None:
        # Replayed answers are not real downloads: the run gets a store of its own that is gone
        # when it ends, so it never touches a real store nor depends on earlier runs.
        history_path = IN_MEMORY
    if history_path is None:
        history_path = settings.history_path or default_history_path()
    with HttpClient(
        token=token,
        auth_hosts=(_host(endpoints.github_graphql), _host(endpoints.github_rest)),
        transport=transport,
        min_interval=pacing,
        max_retries=int(retry.get("max_retries", 4)),
        backoff=retry.get("backoff", 1.0),
        max_wait=retry.get("max_wait", 900.0),
    ) as http:
        history = DownloadHistory(history_path) if settings.packages else None
        try:
            report = build_report(
                settings,
                http=http,
                now=now,
                history=history,
                pepy_api_key=env.get("PEPY_API_KEY") or None,
                progress=progress,
            )
        except ReplayMissError as miss:
            if settings.offline and not env.get("DEVSTATS_CASSETTES"):
                miss.hint = (
                    "the bundled example covers user kozistr in 2022 (2021 with --compare), "
                    "time zone UTC or Asia/Seoul, package pytorch_optimizer"
                )
            raise
        finally:
            progress.done()
            if history is not None:
                history.close()
        stats = http.stats
    if settings.verbose:
        print(
            f"devstats: {stats.requests} requests "
            f"({', '.join(f'{h}: {n}' for h, n in sorted(stats.by_host.items()))}), "
            f"GraphQL cost {stats.graphql_cost}, {stats.retries} retries",
            file=sys.stderr,
        )
    if settings.explain:
        from devstats.classify.explain import explain_automated

        print(explain_automated(report.classified_commits, tz=settings.tz), file=sys.stderr)
    text, pictures = _render(report, settings, plan)
    json_text = dumps(report) if settings.json_output else None
    for message in publish(plan, main_text=text, json_text=json_text, assets=pictures):
        print(f"devstats: {message}", file=sys.stderr)
    return 0


def _render(report: object, settings: Settings, plan: OutputPlan) -> tuple[str, dict[str, str]]:
    """The main text and the pictures (file name -> SVG) of `report`."""
    from devstats.contract import dumps
    from devstats.models import Report
    from devstats.render.markdown import render_markdown
    from devstats.render.svg import render_pictures

    assert isinstance(report, Report)
    pictures: dict[str, str] = {}
    links: dict[str, str] = {}
    if plan.assets is not None:
        drawn = render_pictures(
            report, split_automated=settings.split_automated, lang=settings.lang
        )
        pictures = {f"{name}.svg": svg for name, svg in drawn.items()}
        links = {name: plan.asset_link(f"{name}.svg") for name in drawn}
    if settings.format == "json":
        return dumps(report), pictures
    text = render_markdown(report, lang=settings.lang, template=settings.template, assets=links)
    return text, pictures


def _one_line(message: str) -> str:
    """Upstream messages (a GraphQL error, a template's source line) may span lines; the error
    report is one line, so scripts and CI logs show it whole."""
    return " ".join(message.split())


def _version(value: bool) -> None:
    if value:
        print(f"devstats {__version__}")
        raise typer.Exit(0)


@app.command(epilog=FIGURES)
def devstats(
    year: Annotated[int, typer.Argument(help="The calendar year to report, e.g. 2022.")],
    user: Annotated[
        str | None, typer.Option("--user", "-u", help="GitHub login whose year to report.")
    ] = None,
    package: Annotated[
        list[str] | None,
        typer.Option(
            "--package",
            "-p",
            help="A PyPI package of the user's (repeatable); any spelling, normalised per PEP 503.",
        ),
    ] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="markdown (the 'Programming' section) or json (the full report, see the schema).",
        ),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of the Markdown: en or ko.")
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="A Jinja2 template to render instead of the built-in one (see docs/templates.md).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout."),
    ] = None,
    json_output: Annotated[
        Path | None,
        typer.Option(
            "--json-output",
            help="Also write the full report as JSON to this file (atomically), whatever --format says.",
        ),
    ] = None,
    inject: Annotated[
        Path | None,
        typer.Option(
            "--inject",
            help="Replace the block between <!-- devstats:start --> and <!-- devstats:end --> in this file.",
        ),
    ] = None,
    marker: Annotated[
        str | None, typer.Option("--marker", help="Marker name for --inject (default: devstats).")
    ] = None,
    assets: Annotated[
        Path | None,
        typer.Option(
            "--assets",
            help="Folder to write the SVG pictures to (heatmap, downloads); the Markdown links them relatively.",
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone", help="IANA time zone of the calendar-year boundaries (default UTC)."
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
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
            help="Save every HTTP exchange, scrubbed of secrets, as cassette files in DIR.",
        ),
    ] = None,
    replay: Annotated[
        Path | None,
        typer.Option(
            "--replay",
            help="Serve every HTTP request from the cassettes in DIR; an unrecorded request is an error.",
        ),
    ] = None,
    exclude_repo: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude-repo",
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
    allow_partial: Annotated[
        bool,
        typer.Option(
            "--allow-partial",
            help="Render even if download statistics are unavailable (their figures become null, with a warning).",
        ),
    ] = False,
    history: Annotated[
        Path | None,
        typer.Option(
            "--history", help="The download history store (SQLite); default: the user data folder."
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
    out and explained), pull requests to other people's projects, and PyPI downloads."""
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
    }
    if verbose:
        logging.basicConfig(level=logging.INFO, format="devstats: %(message)s", stream=sys.stderr)
    try:
        settings = load_settings(year, flags, env=env, cwd=Path.cwd(), config_path=config)
        code = run(settings, env, history)
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


def main() -> None:
    app(prog_name="devstats")


if __name__ == "__main__":
    main()
