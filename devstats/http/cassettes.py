"""Record and replay of HTTP exchanges, as httpx transports.

A cassette folder holds one readable JSON file per distinct request (method, URL, body), with
every response that request received, in order: a retried request keeps its 500 and its 200.
Replay serves those responses in the same order (the last one repeats) and fails on the first
request that was never recorded, naming it. Secrets never reach the disk: request headers are
not stored at all, response headers are filtered, and the token is scrubbed from URLs and bodies.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from devstats.files import write_atomic
from devstats.http.redaction import REDACTED, SECRET_HEADER, canonical_url, decoded
from devstats.model.errors import PublishError, ReplayMissError, UsageError

MANIFEST = "cassette.json"
_DROPPED_RESPONSE_HEADERS = {
    "set-cookie",
    "content-encoding",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "date",
    "x-github-request-id",
    "x-served-by",
    "x-timer",
}


def canonical_body(content: bytes) -> Any:
    """A request body as stored: JSON when it is JSON (keys sorted on dump), else text."""
    if not content:
        return None
    text = content.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def request_key(method: str, url: str, body: Any) -> str:
    blob = json.dumps([method.upper(), url, body], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]


def _slug(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"[^A-Za-z0-9]+", "-", parts.path).strip("-") or "root"
    return f"{parts.netloc.replace(':', '_')}_{path}"[:80]


@dataclass
class Exchange:
    method: str
    url: str
    body: Any
    responses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return request_key(self.method, self.url, self.body)

    def filename(self) -> str:
        return f"{_slug(self.url)}_{self.method.lower()}_{self.key}.json"

    def to_json(self) -> dict[str, Any]:
        return {
            "request": {"method": self.method, "url": self.url, "body": self.body},
            "responses": self.responses,
        }


def _scrub(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def _stored_response(response: httpx.Response, secrets: Iterable[str]) -> dict[str, Any]:
    headers = [
        [name, _scrub(value, secrets)]
        for name, value in response.headers.multi_items()
        if name.lower() not in _DROPPED_RESPONSE_HEADERS and not SECRET_HEADER.search(name)
    ]
    content_type = response.headers.get("content-type", "")
    text = _scrub(response.content.decode("utf-8", errors="replace"), secrets)
    stored: dict[str, Any] = {"status": response.status_code, "headers": headers}
    if "json" in content_type:
        try:
            stored["json"] = json.loads(text)
            return stored
        except ValueError:
            pass
    stored["text"] = text
    return stored


def _response_from(stored: dict[str, Any], request: httpx.Request) -> httpx.Response:
    if "json" in stored:
        content = json.dumps(stored["json"], ensure_ascii=False).encode("utf-8")
    else:
        content = str(stored.get("text", "")).encode("utf-8")
    headers = [(str(k), str(v)) for k, v in stored.get("headers", [])]
    return httpx.Response(stored["status"], headers=headers, content=content, request=request)


def _describe_graphql(body: Any) -> str:
    """ " (query Name, variables {...})" for a GraphQL body, so a miss says which query it was."""
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return ""
    found = re.search(r"\b(query|mutation)\s+(\w+)", body["query"])
    name = f"{found.group(1)} {found.group(2)}" if found else "anonymous query"
    variables = json.dumps(body.get("variables") or {}, sort_keys=True, ensure_ascii=False)
    if len(variables) > 200:
        variables = variables[:197] + "..."
    return f" ({name}, variables {variables})"


def _recorded_at(manifest: Path) -> str | None:
    """The manifest's `recorded_at` (it stands in for "now" on replay), if there is one."""
    if not manifest.exists():
        return None
    try:
        value = json.loads(manifest.read_text(encoding="utf-8")).get("recorded_at")
    except (OSError, ValueError, AttributeError) as exc:
        raise UsageError(f"not a cassette manifest: {manifest} ({exc})") from None
    return str(value) if value else None


def recording_time(folder: Path) -> datetime | None:
    """When the cassettes in `folder` were recorded, if their manifest says: a replay is made as
    of that moment (UTC when the manifest names no offset)."""
    text = _recorded_at(folder / MANIFEST)
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class RecordingTransport(httpx.BaseTransport):
    """Passes requests to the real transport and saves every exchange in `folder`.

    Each exchange is on disk as soon as it is answered; a run that fails calls `abandon`, which
    puts the folder back as it was (files this recording created are removed, files it replaced
    get their old content back), so a failed recording leaves no cassette behind to be replayed
    as if it were whole.
    """

    def __init__(
        self,
        folder: Path,
        inner: httpx.BaseTransport | None = None,
        *,
        secrets: Iterable[str] = (),
        recorded_at: str | None = None,
    ) -> None:
        self.folder = folder
        self.inner = inner or httpx.HTTPTransport()
        self.secrets = [s for s in secrets if s]
        self.exchanges: dict[str, Exchange] = {}
        self._lock = threading.Lock()
        # what each file held before this recording wrote it (None: it did not exist)
        self._before: dict[Path, bytes | None] = {}
        self._made_folder = not folder.exists()
        with self._writing():
            folder.mkdir(parents=True, exist_ok=True)
            if recorded_at is not None:
                manifest = json.dumps({"recorded_at": recorded_at}, indent=2) + "\n"
                self._write(folder / MANIFEST, manifest)

    def _write(self, path: Path, text: str) -> None:
        if path not in self._before:
            self._before[path] = path.read_bytes() if path.is_file() else None
        write_atomic(path, text)

    def abandon(self) -> None:
        """Undo this recording: the run it served failed, so its cassettes are not a whole run."""
        with self._lock:
            for path, old in self._before.items():
                with contextlib.suppress(OSError, PublishError):
                    if old is None:
                        path.unlink(missing_ok=True)
                    else:
                        write_atomic(path, old)
            self._before.clear()
            if self._made_folder:
                with contextlib.suppress(OSError):
                    self.folder.rmdir()  # only if nothing else was put there meanwhile

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A cassette that cannot be written is an output error (exit 6), not a crash."""
        try:
            yield
        except OSError as exc:
            raise PublishError(f"cannot record cassettes in {self.folder}: {exc}") from None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        response = self.inner.handle_request(request)
        response.read()
        url = _scrub(canonical_url(request.url), self.secrets)
        body = canonical_body(request.content)
        if isinstance(body, str):
            body = _scrub(body, self.secrets)
        with self._lock:
            probe = Exchange(request.method, url, body)
            exchange = self.exchanges.setdefault(probe.key, probe)
            exchange.responses.append(_stored_response(response, self.secrets))
            text = json.dumps(exchange.to_json(), indent=2, sort_keys=False, ensure_ascii=False)
            with self._writing():
                self._write(self.folder / exchange.filename(), text + "\n")
        return decoded(response, request)

    def close(self) -> None:
        self.inner.close()


class ReplayTransport(httpx.BaseTransport):
    """Serves requests only from a cassette folder; an unrecorded request is an error."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise UsageError(f"cassette folder not found: {folder}")
        self.folder = folder
        self.exchanges: dict[str, Exchange] = {}
        self.served: dict[str, int] = {}
        self._lock = threading.Lock()
        for path in sorted(folder.rglob("*.json")):
            if path.name == MANIFEST:
                continue
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                req = raw["request"]
                exchange = Exchange(req["method"], req["url"], req.get("body"), raw["responses"])
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise UsageError(f"not a cassette file: {path} ({exc})") from None
            self.exchanges[exchange.key] = exchange
        self.recorded_at = _recorded_at(folder / MANIFEST)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        url = canonical_url(request.url)
        key = request_key(request.method, url, canonical_body(request.content))
        exchange = self.exchanges.get(key)
        if exchange is None or not exchange.responses:
            raise ReplayMissError(
                f"request not in the cassettes at {self.folder}: {request.method} {url}"
                f"{_describe_graphql(canonical_body(request.content))}",
                hint="record it first with --record, "
                "or check the year, user, time zone and packages",
            )
        with self._lock:
            index = self.served.get(key, 0)
            self.served[key] = index + 1
        stored = exchange.responses[min(index, len(exchange.responses) - 1)]
        return _response_from(stored, request)
