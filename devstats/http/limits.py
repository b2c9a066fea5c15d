"""Client-side rate limits: how many requests to one host may start within each window.

A `TokenBucket` honours several limits at once, e.g. pypistats.org's "5 per second" and
"30 per minute" (the Flask-Limiter defaults in psf/pypistats.org, pypistats/run.py). Each limit
is kept as a sliding window: no interval of `period` seconds ever holds more than `count`
requests. That is stricter than a refilling bucket, which would let 30 requests through in the
first minute and then 30 more as the tokens come back, and so also satisfies a server that
counts in fixed windows.

A request holds its place in the windows from the moment it is sent until its answer arrives:
the server counts it on arrival, somewhere in between, so the next window is measured from the
later moment and network jitter cannot squeeze two windows' requests into one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager


class _Slot:
    """One request's place in the windows; `at` moves to the answer's arrival when it comes."""

    __slots__ = ("at",)

    def __init__(self, at: float) -> None:
        self.at = at


class TokenBucket:
    """Thread-safe: several threads may share one bucket; each waits for its own slot."""

    def __init__(
        self,
        rates: Sequence[tuple[int, float]],
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not rates:
            raise ValueError("a TokenBucket needs at least one (count, period) limit")
        for count, period in rates:
            if count < 1 or not period > 0:
                raise ValueError(
                    f"a limit needs a count of 1 or more and a period above 0, not {count}/{period}"
                )
        self.rates = tuple((int(count), float(period)) for count, period in rates)
        self._longest = max(period for _, period in self.rates)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._slots: list[_Slot] = []
        self._not_before = float("-inf")

    def delay(self) -> float:
        """Seconds until a request could start now (0 when it could start at once)."""
        with self._lock:
            return self._delay(self._clock())

    def defer(self, seconds: float) -> None:
        """Start no request for `seconds` from now (a server's ``Retry-After``)."""
        with self._lock:
            self._not_before = max(self._not_before, self._clock() + seconds)

    def acquire(self) -> float:
        """Wait for a slot and take it as sent and answered now; return the seconds waited."""
        slot, waited = self._reserve()
        self._settle(slot)
        return waited

    @contextmanager
    def slot(self) -> Iterator[float]:
        """Wait for a slot (yielding the seconds waited) and hold it until the block ends."""
        taken, waited = self._reserve()
        try:
            yield waited
        finally:
            self._settle(taken)

    # --- internals ---------------------------------------------------------------------------

    def _delay(self, now: float) -> float:
        horizon = now - self._longest
        self._slots = [s for s in self._slots if s.at > horizon]
        newest_first = sorted((s.at for s in self._slots), reverse=True)
        wait = self._not_before - now
        for count, period in self.rates:
            if len(newest_first) >= count:
                # The new request may start once the count-th most recent one leaves its window.
                wait = max(wait, newest_first[count - 1] + period - now)
        return max(0.0, wait)

    def _reserve(self) -> tuple[_Slot, float]:
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                wait = self._delay(now)
                if wait <= 0:
                    slot = _Slot(now)
                    self._slots.append(slot)
                    return slot, waited
            # Sleep without the lock, then look again: another thread may have taken the slot.
            self._sleep(wait)
            waited += wait

    def _settle(self, slot: _Slot) -> None:
        with self._lock:
            slot.at = max(slot.at, self._clock())
