"""Run the devstats command and kill it with SIGKILL at a chosen point of the run.

    python tests/fakes/crash_harness.py POINT N ARGUMENTS...

The process kills itself when the N-th event of POINT happens:

- `request`: a replayed HTTP request is about to be answered (the collection is under way);
- `insert`: a row is about to be written to the download store, inside its transaction;
- `stage`: an output has been written to its temporary file beside the target;
- `rename`: an output's temporary file is about to be renamed over the target.

A process that never reaches the point exits as devstats would; the crash tests check it did not.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
from pathlib import Path
from typing import Any

# Run as a script: the checkout (two folders up) must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    point, limit, arguments = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    count = 0

    def event() -> None:
        nonlocal count
        count += 1
        if count == limit:
            os.kill(os.getpid(), signal.SIGKILL)

    if point == "request":
        from devstats.http.cassettes import ReplayTransport

        answer = ReplayTransport.handle_request

        def handle_request(self: ReplayTransport, request: Any) -> Any:
            event()
            return answer(self, request)

        ReplayTransport.handle_request = handle_request  # type: ignore[method-assign]
    elif point == "insert":
        connect = sqlite3.connect

        def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
            db = connect(*args, **kwargs)
            # Called before each statement runs: executemany calls it once per row.
            db.set_trace_callback(
                lambda sql: event() if sql.lstrip().upper().startswith("INSERT") else None
            )
            return db

        sqlite3.connect = traced
    elif point == "stage":
        from devstats.publish import writes

        stage = writes.stage

        def staged(path: Path, text: str | bytes) -> Path:
            temporary = stage(path, text)
            event()
            return temporary

        writes.stage = staged
    elif point == "rename":
        replace = os.replace

        def renamed(source: Any, target: Any) -> None:
            event()
            replace(source, target)

        os.replace = renamed
    else:
        raise SystemExit(f"unknown point {point!r}")

    from devstats.cli import main as devstats

    sys.argv = ["devstats", *arguments]
    devstats()


if __name__ == "__main__":
    main()
