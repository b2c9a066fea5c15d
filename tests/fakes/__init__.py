"""Fake upstreams for offline tests: in-memory worlds behind httpx request handlers."""
