"""What names an answer in the cache, and what of it may be kept: the key is a hash of the
request (method, URL with its query sorted, body with JSON keys sorted, Accept, a hash of the
credential); what is kept never holds a credential, a cookie or a secret-looking header.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from devstats.http.redaction import SECRET_HEADER

_DROPPED_HEADERS = {
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    # The body is stored decoded, whole.
    "content-encoding",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
}


def canonical_body(content: bytes) -> str:
    """A JSON body with its keys sorted (a GraphQL query and its variables); else a hash."""
    if not content:
        return ""
    try:
        return json.dumps(json.loads(content), sort_keys=True, separators=(",", ":"))
    except ValueError:
        return "sha256:" + hashlib.sha256(content).hexdigest()


def cache_key(request: httpx.Request) -> str:
    """The hash naming a request's entry: method, URL (query sorted), body, Accept, credential."""
    parts = urlsplit(str(request.url))
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    url = urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, query, ""))
    credential = request.headers.get("authorization", "")
    blob = json.dumps(
        [
            request.method.upper(),
            url,
            canonical_body(request.content),
            request.headers.get("accept", "*/*"),
            # Only a hash of the credential, and only inside this hash: never stored.
            hashlib.sha256(credential.encode("utf-8")).hexdigest() if credential else "",
        ]
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def kept_headers(headers: httpx.Headers) -> tuple[tuple[str, str], ...]:
    return tuple(
        (name, value)
        for name, value in headers.multi_items()
        if name.lower() not in _DROPPED_HEADERS and not SECRET_HEADER.search(name)
    )
