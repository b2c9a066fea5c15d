"""Run a command; write its wall time and peak resident memory as JSON to a file.

    python benchmarks/child_usage.py USAGE.json COMMAND [ARG ...]

A forked child starts with its parent's resident memory, and the kernel's peak (ru_maxrss)
counts it: a command started by the benchmark itself, which holds a whole constructed year,
would show the benchmark's size. Started from this small process instead, the peak is the
command's own (plus this launcher's few megabytes, which it starts from).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    usage_file, command = Path(argv[0]), argv[1:]
    began = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - began
    # ru_maxrss is in kilobytes on Linux
    usage_file.write_text(json.dumps({"seconds": seconds, "peak_kb": usage.ru_maxrss}))
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
