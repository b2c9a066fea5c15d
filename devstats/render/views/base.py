"""What every template view is: a frozen dataclass whose typed fields a template reads.

Jinja reads `package.name` and `package["name"]` alike, and templates written against the
earlier dict contexts also call `.get(...)`, test `"key" in view` or loop over the keys: a view
answers all of these as a read-only mapping of its fields. A key that is not a field raises a
`KeyError` naming the key and the view.

Each field carries its documentation (`Annotated[type, about(...)]`): what it holds and the key
of the JSON report it comes from. docs/templates.md's key tables are generated from it
(devstats/render/views/keys.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class About:
    """What a view field holds (`text`) and the JSON report's key it comes from (`json`, if any);
    a field carries it as `Annotated[type, about(...)]`."""

    text: str
    json: str = ""


def about(text: str, json: str = "") -> About:
    return About(text, json)


class View(Mapping[str, Any]):
    """A read-only mapping over the fields of the frozen dataclass that subclasses it."""

    __slots__ = ()

    def _names(self) -> tuple[str, ...]:
        return tuple(item.name for item in fields(self))  # type: ignore[arg-type]

    def __getitem__(self, key: str) -> Any:
        if key not in self._names():
            raise KeyError(f"{type(self).__name__} has no key {key!r}")
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def __contains__(self, key: object) -> bool:
        return key in self._names()
