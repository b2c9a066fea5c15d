"""What never leaves the process as it came: secret-looking headers and query parameters. The
cassettes (record/replay) and the cache of answers both store exchanges, so both redact alike.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

SECRET_HEADER = re.compile(r"authorization|cookie|token|secret|api-key", re.IGNORECASE)
SECRET_PARAMS = re.compile(r"token|key|secret|password|signature", re.IGNORECASE)
REDACTED = "<redacted>"
# A stored body is the decoded one, whole: the headers that describe its transfer do not apply.
TRANSFER_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def canonical_url(url: httpx.URL | str) -> str:
    """The URL with its query sorted and secret-looking parameters redacted."""
    parts = urlsplit(str(url))
    query = sorted(
        (k, REDACTED if SECRET_PARAMS.search(k) else v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    )
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def decoded(
    response: httpx.Response, request: httpx.Request, *, extensions: dict[str, str] | None = None
) -> httpx.Response:
    """A read response as a transport hands it on: the body decoded, no transfer headers."""
    return httpx.Response(
        response.status_code,
        headers=[
            (k, v) for k, v in response.headers.multi_items() if k.lower() not in TRANSFER_HEADERS
        ],
        content=response.content,
        request=request,
        extensions=extensions or {},
    )
