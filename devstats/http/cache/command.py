"""`devstats cache info` and `devstats cache clear`: what they say about the cache of answers.

The command line (devstats/cli.py) declares the two subcommands; this module does their work
and returns the text they print.
"""

from __future__ import annotations

from collections.abc import Mapping

from devstats.http.cache.entries import CacheInfo, ResponseCache, default_cache_folder


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


def describe_cache(env: Mapping[str, str]) -> str:
    """`devstats cache info`: the folder, its number of entries and their size."""
    return _describe(ResponseCache(default_cache_folder(env)).info())


def clear_cache(env: Mapping[str, str]) -> str:
    """`devstats cache clear`: remove every entry; say how many and how much."""
    removed = ResponseCache(default_cache_folder(env)).clear()
    return (
        f"removed {removed.entries} entries ({format_size(removed.bytes)}) from {removed.folder}\n"
    )
