"""Write the output: whole files atomically, or one marked block inside an existing file.

A README is often hand-written around the generated part, so `inject` treats the file as bytes
and touches nothing outside the markers: not the encoding, not the line endings, not the
trailing newline. Every failure is a `PublishError` (exit code 6).
"""

from __future__ import annotations

import re
from pathlib import Path

from devstats.files import write_atomic
from devstats.model.errors import PublishError

__all__ = ["check_marker_name", "inject", "markers", "replace_block"]

_MARKER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# Any "<!-- name:start -->" / "<!-- name:end -->" comment, whichever tool it belongs to.
_ANY_MARKER = re.compile(rb"<!--\s*[A-Za-z0-9][A-Za-z0-9_.-]*:(?:start|end)\s*-->")


def markers(marker: str) -> tuple[str, str]:
    """The start and end comments of the block called `marker`."""
    return f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"


def replace_block(
    data: bytes, block: str, *, marker: str = "devstats", where: str = "the file"
) -> bytes:
    """`data` with what lies between the start and end markers of `marker` replaced by `block`.

    Pure: the checks and the byte-for-byte rules of `inject`, on bytes in memory, so a file in
    another repository (devstats.publish.remote) is updated exactly like a local one. The block
    is written with the data's line ending (CRLF or LF) and framed by a line break on each side.
    """
    check_marker_name(marker)
    block_bytes = block.encode("utf-8")
    if _ANY_MARKER.search(block_bytes):
        raise PublishError(
            "refusing to inject: the generated block itself contains a marker comment",
            hint="the rendered text must not contain '<!-- name:start -->' or '<!-- name:end -->'",
        )
    start, end = _block_span(data, marker, where)
    newline = b"\r\n" if _uses_crlf(data) else b"\n"
    # Indented markers (inside a list item or an HTML block) keep their indentation, and the
    # block takes the start marker's, so that it stays inside that list item.
    indent = _indent_before(data, data.rfind(b"<!--", 0, start))
    lines = block_bytes.replace(b"\r\n", b"\n").replace(b"\r", b"\n").strip(b"\n").split(b"\n")
    body = newline.join(indent + line if line else line for line in lines)
    body = newline + body + newline if body else newline
    return data[:start] + body + _indent_before(data, end) + data[end:]


def inject(path: Path, block: str, *, marker: str = "devstats") -> bool:
    """Replace what lies between `<!-- marker:start -->` and `<!-- marker:end -->` in `path`.

    Returns False, without writing, when the block is already there as it is; other named
    blocks and every byte outside this one stay as they were (see `replace_block`).
    """
    check_marker_name(marker)
    try:
        original = path.read_bytes()
    except FileNotFoundError:
        raise PublishError(
            f"{path} does not exist", hint=f"create it with {markers(marker)[0]} and the end marker"
        ) from None
    except OSError as error:
        raise PublishError(f"cannot read {path}: {error.strerror or error}") from None
    updated = replace_block(original, block, marker=marker, where=str(path))
    if updated == original:
        return False
    write_atomic(path, updated)
    return True


def check_marker_name(marker: str) -> None:
    """PublishError unless `marker` can name a block: letters, digits, '.', '_', '-'."""
    if not _MARKER_NAME.fullmatch(marker):
        raise PublishError(
            f"invalid marker name {marker!r}", hint="letters, digits, '.', '_' and '-' only"
        )


def _block_span(data: bytes, marker: str, path: Path | str) -> tuple[int, int]:
    """Byte offsets of the text between the start and end markers of `marker`."""
    name = re.escape(marker.encode("ascii"))
    starts = list(re.finditer(rb"<!--\s*" + name + rb":start\s*-->", data))
    ends = list(re.finditer(rb"<!--\s*" + name + rb":end\s*-->", data))
    start_text, end_text = markers(marker)
    if not starts:
        raise PublishError(
            f"{path}: no {start_text} marker", hint=f"add {start_text} and {end_text}"
        )
    if not ends:
        raise PublishError(
            f"{path}: no {end_text} marker", hint=f"add {end_text} after {start_text}"
        )
    if len(starts) > 1 or len(ends) > 1:
        raise PublishError(
            f"{path}: the '{marker}' markers appear more than once "
            f"({len(starts)} start, {len(ends)} end)",
            hint="keep exactly one block per marker name, or use --marker for a second block",
        )
    opening, closing = starts[0], ends[0]
    if closing.start() < opening.end():
        raise PublishError(f"{path}: {end_text} comes before {start_text}")
    inside = data[opening.end() : closing.start()]
    nested = _ANY_MARKER.search(inside)
    if nested:
        raise PublishError(
            f"{path}: another marker ({nested.group().decode('ascii')}) lies inside the "
            f"'{marker}' block",
            hint="blocks must not be nested; move the other block outside",
        )
    return opening.end(), closing.start()


def _indent_before(data: bytes, position: int) -> bytes:
    """The spaces and tabs before `position` when nothing else precedes it on its line."""
    line_start = max(data.rfind(b"\n", 0, position), data.rfind(b"\r", 0, position)) + 1
    prefix = data[line_start:position]
    return prefix if prefix.strip(b" \t") == b"" else b""


def _uses_crlf(data: bytes) -> bool:
    """Whether the file's first line break is CRLF (a file with none counts as LF)."""
    first = data.find(b"\n")
    return first > 0 and data[first - 1 : first] == b"\r"
