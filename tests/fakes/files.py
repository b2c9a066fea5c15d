"""Files as the publishing tests see them: a README with markers, and a folder's whole state."""

from __future__ import annotations

import os
from pathlib import Path

START, END = "<!-- devstats:start -->", "<!-- devstats:end -->"
README = f"# me\n\n{START}\nlast year\n{END}\n\nbye\n"


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under `folder`: file bytes, or where a link points, or that it is a folder."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            found[name] = "folder"
        elif path.is_file():
            found[name] = path.read_bytes()
        else:
            found[name] = "special"
    return found
