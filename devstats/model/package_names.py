"""A PyPI project's name as PyPI compares names (PEP 503): the one normaliser of devstats."""

from __future__ import annotations

import re

_SEPARATOR_RUNS = re.compile(r"[-_.]+")


def normalize(name: str) -> str:
    """The PEP 503 normalised project name: lowercase, runs of ``-``, ``_`` and ``.`` -> ``-``."""
    return _SEPARATOR_RUNS.sub("-", name.strip()).lower()
