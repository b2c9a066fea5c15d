"""docs/templates.md's key tables, written from the view classes: one table per view, each row a
field with its type, what it holds (its `about`) and the JSON report's key it comes from.

scripts/generate_template_keys.py writes them between the markers below; a test fails when the
document and the views disagree, so the table can no longer drift from what templates get.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Mapping
from dataclasses import fields
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

from devstats.render.escape import SafeMarkdown
from devstats.render.views.base import About, View
from devstats.render.views.context import PostView

START = (
    "<!-- template-keys:start: written by scripts/generate_template_keys.py from the view "
    "classes in devstats/render/views/; edit those, not this table -->"
)
END = "<!-- template-keys:end -->"


def key_tables(root: type[View] = PostView) -> str:
    """Markdown: a section per view reachable from `root`, in the order a reader meets them."""
    order, places = _walk(root)
    return "\n\n".join(_section(view, places[view]) for view in order) + "\n"


def reachable_views(root: type[View] = PostView) -> list[type[View]]:
    """Every view a template can reach from `root`, in the order the tables list them."""
    return _walk(root)[0]


def documented_fields(view: type[View]) -> list[tuple[str, Any, About]]:
    """(name, type, about) of each field of `view`, in declaration order; TypeError for a field
    without its `Annotated[type, about(...)]`."""
    hints = get_type_hints(view, include_extras=True)
    found = []
    for item in fields(view):  # type: ignore[arg-type]
        hint = hints[item.name]
        notes = [n for n in get_args(hint)[1:] if isinstance(n, About)]
        if get_origin(hint) is not Annotated or not notes:
            raise TypeError(f"{view.__name__}.{item.name} has no Annotated[..., about(...)]")
        found.append((item.name, get_args(hint)[0], notes[0]))
    return found


def _walk(root: type[View]) -> tuple[list[type[View]], dict[type[View], list[str]]]:
    """Every view reachable from `root` with the paths where it appears, each path through the
    first place its parent appears; a view follows the one where it first appears, so a table
    stands near its parent's."""
    places: dict[type[View], list[str]] = {root: [""]}
    children: dict[type[View], list[type[View]]] = {root: []}
    queue = [root]
    while queue:  # breadth first: a view's first place is its shortest path
        view = queue.pop(0)
        for name, kind, _ in documented_fields(view):
            for child, suffix in _views_in(kind):
                if child not in places:
                    places[child] = []
                    children[child] = []
                    children[view].append(child)
                    queue.append(child)
                places[child].append(f"{places[view][0]}.{name}{suffix}".lstrip("."))
    order: list[type[View]] = []
    stack = [root]
    while stack:
        view = stack.pop()
        order.append(view)
        stack.extend(reversed(children[view]))
    return order, places


def _views_in(kind: Any) -> list[tuple[type[View], str]]:
    """The views a field's type holds, with "[]" for those inside a list."""
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        return [found for arg in get_args(kind) for found in _views_in(arg)]
    if origin is tuple:
        return [(view, "[]" + suffix) for view, suffix in _views_in(get_args(kind)[0])]
    if isinstance(kind, type) and issubclass(kind, View):
        return [(kind, "")]
    return []


def type_text(kind: Any) -> str:
    """How the table names a field's type: "Figure", "safe or none", "list of `PackageView`"."""
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        known = [arg for arg in get_args(kind) if arg is not type(None)]
        text = " or ".join(type_text(arg) for arg in known)
        return f"{text} or none" if len(known) < len(get_args(kind)) else text
    if origin is tuple:
        return f"list of {type_text(get_args(kind)[0])}"
    if origin is Mapping:
        return "dict"
    if kind is SafeMarkdown:
        return "safe"
    if isinstance(kind, type) and issubclass(kind, View):
        return f"`{kind.__name__}`"
    return str(getattr(kind, "__name__", kind))


def _section(view: type[View], places: list[str]) -> str:
    summary = " ".join(inspect.cleandoc(view.__doc__ or "").split())
    where = (
        "The top level."
        if places == [""]
        else "At " + ", ".join(f"`{place}`" for place in places) + "."
    )
    rows = [
        f"| `{name}` | {_cell(type_text(kind))} | {_cell(note.text)} | {_cell(_json(note.json))} |"
        for name, kind, note in documented_fields(view)
    ]
    table = ["| key | type | content | JSON key |", "|---|---|---|---|", *rows]
    return "\n".join([f"### `{view.__name__}`", "", f"{summary} {where}", "", *table])


def _json(key: str) -> str:
    return f"`{key}`" if key and " " not in key else key


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
