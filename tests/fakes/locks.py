"""pip-compile's lock files as the tests read them: each pin with its version and hashes."""

from __future__ import annotations

import re

from packaging.utils import canonicalize_name
from packaging.version import Version

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)\s*\\$")
HASH = re.compile(r"--hash=sha256:([0-9a-f]{64})")


def parse_lock(text: str) -> dict[str, tuple[Version, list[str]]]:
    """name -> (pinned version, sha256 hashes), from pip-compile's output."""
    pins: dict[str, tuple[Version, list[str]]] = {}
    current: str | None = None
    for line in text.splitlines():
        found = PIN.match(line)
        if found:
            current = str(canonicalize_name(found.group(1)))
            assert current not in pins, f"{current} is pinned twice"
            pins[current] = (Version(found.group(2)), [])
        elif current and line.startswith("    --hash="):
            pins[current][1].extend(HASH.findall(line))
        elif line.strip() and not line.lstrip().startswith("#"):
            raise AssertionError(f"not a pin, a hash or a comment: {line!r}")
    return pins
