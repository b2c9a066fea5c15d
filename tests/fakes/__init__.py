"""Fake upstreams for offline tests: in-memory worlds behind httpx request handlers."""

from collections.abc import Callable

import httpx

Handle = Callable[[httpx.Request], "httpx.Response | None"]


def mock_transport(*handles: Handle) -> httpx.MockTransport:
    """An httpx transport asking each fake in turn; a request none of them serves cannot connect."""

    def route(request: httpx.Request) -> httpx.Response:
        for handle in handles:
            response = handle(request)
            if response is not None:
                return response
        raise httpx.ConnectError(f"no fake serves {request.url}", request=request)

    return httpx.MockTransport(route)
