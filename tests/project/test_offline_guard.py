"""The autouse guard in conftest.py: in-process code cannot reach a non-loopback address."""

from __future__ import annotations

import socket

import httpx
import pytest


def test_a_socket_to_a_public_address_is_refused() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s,
        pytest.raises(ConnectionRefusedError, match="may not connect"),
    ):
        s.connect(("192.0.2.1", 443))


def test_httpx_cannot_reach_the_internet() -> None:
    with pytest.raises(httpx.ConnectError, match="may not connect"):
        httpx.get("http://192.0.2.1/", timeout=2)
