"""Small helpers for scripts/action_run.sh (standard library only).

python scripts/action_support.py fingerprint PATH      the history store's content, hashed
python scripts/action_support.py block FILE MARKER     the text between the markers of FILE
python scripts/action_support.py warnings JSON        the report's notes for the maintainer, as
                                                      workflow `::warning` commands
python scripts/action_support.py summary JSON         the same notes as Markdown for the job summary
python scripts/action_support.py push-header FILE     write the HTTP header that lets git push with
                                                      $GITHUB_TOKEN into FILE (mode 600), masked
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import sqlite3
import sys
from pathlib import Path

# When a day was fetched is bookkeeping: a re-fetch of the same numbers must not make a commit.
_BOOKKEEPING_COLUMNS = {"fetched_at"}


def fingerprint(path: Path) -> str:
    """A hash of every table's rows (bookkeeping columns left out), or 'absent'.

    The bytes of an SQLite file change on every write transaction even when no value does, so the
    Action compares content, not bytes, before it lets the store into a commit.
    """
    if not path.is_file():
        return "absent"
    digest = hashlib.sha256()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        digest.update(repr(db.execute("PRAGMA user_version").fetchone()).encode())
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            columns = [
                row[1]
                for row in db.execute(f"PRAGMA table_info({quoted})")
                if row[1] not in _BOOKKEEPING_COLUMNS
            ]
            select = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
            rows = sorted(repr(r) for r in db.execute(f"SELECT {select} FROM {quoted}"))
            digest.update(repr((table, columns, rows)).encode())
    finally:
        db.close()
    return digest.hexdigest()


def block(path: Path, marker: str) -> str:
    """The text between `<!-- marker:start -->` and `<!-- marker:end -->`, or '' without them."""
    text = path.read_text(encoding="utf-8")
    name = re.escape(marker)
    found = re.search(rf"<!--\s*{name}:start\s*-->(.*?)<!--\s*{name}:end\s*-->", text, re.S)
    return found.group(1).strip("\r\n") + "\n" if found else ""


def operator_notes(path: Path) -> list[str]:
    """The English messages of the report's notices meant for the maintainer, not the reader."""
    report = json.loads(path.read_text(encoding="utf-8"))
    return [
        str(n.get("message", ""))
        for n in report.get("notices", [])
        if isinstance(n, dict) and n.get("audience") == "operator"
    ]


def workflow_command_text(text: str) -> str:
    # A workflow command's value escapes %, CR and LF, or the runner cuts the message there.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def push_header(path: Path) -> None:
    """The header actions/checkout would have kept in .git/config, for a checkout made with
    `persist-credentials: false`: written to a private file for the one git command that pushes,
    and masked in the log (a base64 form of the token is not the token GitHub already masks)."""
    token = os.environ.get("GITHUB_TOKEN", "")
    if not token:  # nothing to add: git pushes with whatever the checkout set up
        path.write_text("", encoding="ascii")
        return
    encoded = base64.b64encode(f"x-access-token:{token}".encode()).decode("ascii")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        print(f"::add-mask::{encoded}")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(f"AUTHORIZATION: basic {encoded}")


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "warnings":
        for note in operator_notes(Path(argv[1])):
            print(f"::warning title=devstats::{workflow_command_text(note)}")
        return 0
    if len(argv) == 2 and argv[0] == "summary":
        notes = operator_notes(Path(argv[1]))
        if notes:
            print("### Notes for the maintainer (not in the committed block)\n")
            print("\n".join(f"- {note}" for note in notes))
        return 0
    if len(argv) == 2 and argv[0] == "fingerprint":
        print(fingerprint(Path(argv[1])))
        return 0
    if len(argv) == 2 and argv[0] == "push-header":
        push_header(Path(argv[1]))
        return 0
    if len(argv) == 3 and argv[0] == "block":
        sys.stdout.write(block(Path(argv[1]), argv[2]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
