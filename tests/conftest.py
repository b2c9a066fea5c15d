"""Tests never reach the internet: any in-process connection to a non-loopback address fails."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

_real_connect = socket.socket.connect


def _is_loopback(address: Any) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            return False
    return True  # Unix sockets and the like stay on this machine


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if not _is_loopback(address):
        raise ConnectionRefusedError(
            f"tests may not connect to {address!r}: use a fake or a cassette"
        )
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    yield


@pytest.fixture(autouse=True)
def cache_outside_the_checkout(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # A live run keeps upstream answers in the user's cache folder; a test's runs keep them in
    # a folder of the test session, never in the checkout or the real user's cache.
    monkeypatch.setenv("DEVSTATS_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
