"""Render a Report as Markdown through a Jinja2 template (built-in or the user's own).

Safety does not depend on the template author remembering a filter: the environment's
`finalize` escapes every printed string unless it is `SafeMarkdown` (text the context already
escaped, or wrote itself). Templates run in Jinja's immutable sandbox with StrictUndefined,
and every template failure becomes a `TemplateError` naming the file and line (exit code 2).
"""

from __future__ import annotations

import html
import importlib.resources
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from devstats.model.errors import TemplateError
from devstats.model.report import Report
from devstats.render import numbers
from devstats.render.escape import SafeMarkdown, escape_markdown, markdown_link
from devstats.render.views.context import Figure, build_context
from devstats.render.words.korean import particle
from devstats.render.words.labels import BY_CODE, LANGUAGES, Language
from devstats.render.words.post import BY_CODE as POST_WORDS

# Exceptions a template can raise by itself (e.g. `{{ 1 + "a" }}`, `{{ items[99] }}`).
_TEMPLATE_RUNTIME_ERRORS = (
    jinja2.TemplateError,
    TypeError,
    ValueError,
    ArithmeticError,
    LookupError,
    AttributeError,
    RecursionError,
)
_BLANK_RUNS = re.compile(r"\n{3,}")
_ESCAPED = re.compile(r"\\(.)")


def builtin_template_name(lang: str) -> str:
    return f"{lang}.md.j2"


def render_markdown(
    report: Report,
    *,
    lang: str = "en",
    template: Path | None = None,
    assets: Mapping[str, str] | None = None,
    detail: str = "brief",
    notes: bool = True,
) -> str:
    """The Markdown for `report`: with the built-in template of `lang`, or with `template`.

    `assets` maps asset names ("heatmap-light", "heatmap-dark", "downloads-<package>") to paths
    relative to where the Markdown will live (see devstats.publish.asset_links). `detail` is
    "brief" or "full"; `notes` says whether the notes on the figures end the post.
    """
    if lang not in BY_CODE:
        raise TemplateError(
            f"no built-in language {lang!r}", hint=f"choose one of {', '.join(LANGUAGES)}"
        )
    language = BY_CODE[lang]
    loader = _Loader(template.parent if template is not None else None)
    environment = _environment(language, loader)
    name = template.name if template is not None else builtin_template_name(lang)
    if template is not None and not template.is_file():
        raise TemplateError(f"template not found: {template}")
    post = build_context(report, lang=lang, assets=assets or {}, detail=detail, notes=notes)
    try:
        compiled = environment.get_template(name)
        text = compiled.render(post)  # each field of the post's view is a name of its own
    except jinja2.TemplateNotFound as error:
        raise TemplateError(f"template not found: {error.name}") from None
    except jinja2.TemplateSyntaxError as error:
        where = _where(error.filename or name, error.lineno)
        raise TemplateError(f"{where}: {error.message}") from None
    except _TEMPLATE_RUNTIME_ERRORS as error:
        filename, line = _template_frame(error.__traceback__, loader.filenames)
        where = _where(filename or name, line)
        raise TemplateError(f"{where}: {error}") from None
    return _tidy(text)


def render_notes(report: Report, *, lang: str = "en", detail: str = "brief") -> str:
    """The notes on the figures alone, as a Markdown list under a heading (--notes FILE)."""
    if lang not in BY_CODE:
        raise TemplateError(
            f"no built-in language {lang!r}", hint=f"choose one of {', '.join(LANGUAGES)}"
        )
    post = build_context(report, lang=lang, detail=detail)
    title = POST_WORDS[lang].notes_title
    lines = [f"## {title}", "", *(f"- {line}" for line in post.notes)]
    return _tidy("\n".join(lines))


def _where(filename: str, line: int | None) -> str:
    return filename if line is None else f"{filename}:{line}"


def _tidy(text: str) -> str:
    """One blank line at most between blocks and exactly one newline at the end.

    Lets templates use `{% if %}` blocks without whitespace-control acrobatics.
    """
    return _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"


def _template_frame(
    traceback: TracebackType | None, filenames: set[str]
) -> tuple[str | None, int | None]:
    """The innermost traceback frame inside a template (Jinja rewrites them to template lines)."""
    found: tuple[str | None, int | None] = (None, None)
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename in filenames:
            found = (filename, traceback.tb_lineno)
        traceback = traceback.tb_next
    return found


class _Loader(jinja2.BaseLoader):
    """The user's template folder first (if any), then the built-in templates.

    Built-ins come from the package resources of `devstats.templates` (an installed wheel) or,
    in a source checkout, from the top-level templates/ folder. A user template can therefore
    `{% extends "en.md.j2" %}` or include a built-in.
    """

    def __init__(self, folder: Path | None) -> None:
        self._user = jinja2.FileSystemLoader(str(folder)) if folder is not None else None
        self.filenames: set[str] = set()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if self._user is not None:
            try:
                source, filename, uptodate = self._user.get_source(environment, template)
            except jinja2.TemplateNotFound:
                pass
            except UnicodeDecodeError as error:
                raise TemplateError(f"template {template} is not UTF-8: {error}") from None
            else:
                if filename is not None:
                    self.filenames.add(filename)
                return source, filename, uptodate
        source, filename = builtin_template_source(template)
        self.filenames.add(filename)
        return source, filename, lambda: True


def builtin_template_source(name: str) -> tuple[str, str]:
    """Text and file name of a built-in template; jinja2.TemplateNotFound when there is none."""
    if "/" in name or "\\" in name or name.startswith("."):
        raise jinja2.TemplateNotFound(name)
    try:
        resource = importlib.resources.files("devstats.templates") / name
        if resource.is_file():
            return resource.read_text(encoding="utf-8"), str(resource)
    except ModuleNotFoundError:
        pass  # a source checkout: devstats.templates only exists once installed
    path = Path(__file__).resolve().parents[2] / "templates" / name
    if path.is_file():
        return path.read_text(encoding="utf-8"), str(path)
    raise jinja2.TemplateNotFound(name)


def _environment(language: Language, loader: jinja2.BaseLoader) -> ImmutableSandboxedEnvironment:
    def finalize(value: object) -> str:
        return _as_markdown(value, language)

    # The immutable sandbox also refuses list.append, dict.clear and the like: a template
    # must not change the report it is rendering.
    environment = ImmutableSandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    environment.filters.update(
        {
            "compact": lambda value, upper=False: _compact(value, language, upper=upper),
            "number": lambda value: _number(value, language),
            "percent": lambda part, whole: _percent(part, whole, language),
            "md": lambda value: _as_markdown(value, language),
            "plural": lambda value, one, many: one if _count(value) == 1 else many,
            "link": lambda text, url: markdown_link(str(text), None if url is None else str(url)),
            "particle": lambda value, pair: _with_particle(value, str(pair), language),
        }
    )
    return environment


def _as_markdown(value: object, language: Language) -> SafeMarkdown:
    """How any printed value reaches the output: escaped unless already safe."""
    if isinstance(value, SafeMarkdown):
        return value
    if value is None:
        return SafeMarkdown(language.unknown)
    if isinstance(value, Figure):
        return SafeMarkdown(str(value))  # digits, "k", "M" or the language's "unknown"
    if isinstance(value, bool):
        return SafeMarkdown(str(value).lower())
    if isinstance(value, int | float):
        return SafeMarkdown(str(value))
    # str() on a StrictUndefined raises UndefinedError, which is what a template should see.
    return escape_markdown(str(value))


def _with_particle(value: object, pair: str, language: Language) -> SafeMarkdown:
    """The value as it prints, followed by the Korean particle its reading takes ("Rust는")."""
    shown = _as_markdown(value, language)
    read = html.unescape(_ESCAPED.sub(r"\1", shown))
    return SafeMarkdown(shown + particle(read, pair))


def _count(value: object) -> int | None:
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()
    if isinstance(value, Figure):
        return value.value
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a count, got {type(value).__name__}")
    return value


def _compact(value: object, language: Language, *, upper: bool) -> SafeMarkdown:
    count = _count(value)
    if count is None:
        return SafeMarkdown(language.unknown)
    return SafeMarkdown(numbers.compact(count, upper=upper))


def _number(value: object, language: Language) -> SafeMarkdown:
    count = _count(value)
    return SafeMarkdown(language.unknown if count is None else numbers.number(count))


def _percent(part: object, whole: object, language: Language) -> SafeMarkdown:
    part_count, whole_count = _count(part), _count(whole)
    if part_count is None or whole_count is None:
        return SafeMarkdown(language.unknown)
    text = numbers.percent(part_count, whole_count)
    return SafeMarkdown(language.unknown if text is None else text)
