"""Serve a fake upstream (a `handle(httpx.Request) -> httpx.Response | None` callable) on 127.0.0.1.

Lets a whole `devstats` process run against the fakes over real HTTP: the base-URL environment
variables point at `server.url`. Another loopback address (127.0.0.2, ...) gives an upstream a
host of its own, as each real upstream has.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

Handler = Callable[[httpx.Request], "httpx.Response | None"]


class LoopbackServer:
    def __init__(self, handler: Handler, host: str = "127.0.0.1") -> None:
        if not host.startswith("127."):
            raise ValueError(f"a loopback server listens on 127.x.x.x, not {host}")
        self.handler = handler
        self.requests: list[httpx.Request] = []
        outer = self

        class _RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in two writes; with Nagle on, a keep-alive client waits for
            # its delayed ACK (~40 ms) before the body arrives.
            disable_nagle_algorithm = True

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                host = self.headers.get("host", "127.0.0.1")
                request = httpx.Request(
                    self.command,
                    f"http://{host}{self.path}",
                    headers=list(self.headers.items()),
                    content=body,
                )
                outer.requests.append(request)
                response = outer.handler(request)
                if response is None:
                    response = httpx.Response(599, text=f"no fake serves {request.url}")
                content = response.read()
                self.send_response(response.status_code)
                for name, value in response.headers.multi_items():
                    if name.lower() in {
                        "content-length",
                        "transfer-encoding",
                        "connection",
                        "content-encoding",
                    }:
                        continue
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(content)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer((host, 0), _RequestHandler)
        # shutdown() waits for the serving loop's next poll: 50 ms instead of the default 0.5 s.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def serve(handler: Handler, host: str = "127.0.0.1") -> Iterator[LoopbackServer]:
    server = LoopbackServer(handler, host).start()
    try:
        yield server
    finally:
        server.stop()
