"""`devstats cache info` and `devstats cache clear`: show and empty the cache of answers."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from devstats.http.cache.entries import CacheInfo, ResponseCache, default_cache_folder
from devstats.model.errors import DevstatsError, UsageError

USAGE = """\
usage: devstats cache info | clear

  info   show the cache folder, its number of entries and their size
  clear  remove every entry: upstream answers and the reports kept for a rerun

The folder is $DEVSTATS_CACHE_DIR, or the user's cache folder. A run with --refresh asks
upstream again without clearing anything; --replay and --record never use the cache.
"""


def format_size(size: int) -> str:
    """Bytes in binary units, one decimal: 1536 -> "1.5 KiB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024**2:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024**2:.1f} MiB"


def _describe(info: CacheInfo) -> str:
    return (
        f"cache folder: {info.folder}\n"
        f"entries: {info.entries} ({info.reports} of them reports kept for a rerun)\n"
        f"size: {format_size(info.bytes)} (at most {format_size(info.max_bytes)})\n"
    )


def cache_command(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run `devstats cache <argv>`; return the exit code (0, or 2 for bad usage)."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = list(argv)
    if args and args[0] in ("-h", "--help", "help"):
        out.write(USAGE)
        return 0
    try:
        if len(args) != 1 or args[0] not in ("info", "clear"):
            given = " ".join(args) or "nothing"
            raise UsageError(
                f"devstats cache takes info or clear, not {given}", hint="devstats cache --help"
            )
        cache = ResponseCache(default_cache_folder(env if env is not None else os.environ))
        if args[0] == "info":
            out.write(_describe(cache.info()))
        else:
            removed = cache.clear()
            out.write(
                f"removed {removed.entries} entries ({format_size(removed.bytes)}) "
                f"from {removed.folder}\n"
            )
    except DevstatsError as exc:
        err.write(f"devstats: error: {exc}\n")
        return exc.exit_code
    return 0
