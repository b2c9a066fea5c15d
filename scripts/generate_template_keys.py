"""Write the key tables of docs/templates.md from the template views (devstats/render/views/).

python scripts/generate_template_keys.py          # rewrite the tables
python scripts/generate_template_keys.py --check  # exit 1 when the document and the views disagree
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devstats.render.views.keys import END, START, key_tables  # noqa: E402

DOC_FILE = ROOT / "docs" / "templates.md"


def with_tables(document: str, tables: str) -> str:
    """`document` with what stands between the markers replaced by `tables`."""
    if document.count(START) != 1 or document.count(END) != 1:
        raise SystemExit(f"{DOC_FILE} needs the markers {START!r} and {END!r} once each")
    before, rest = document.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n\n{tables}\n{END}{after}"


def main(argv: list[str]) -> int:
    document = DOC_FILE.read_text(encoding="utf-8")
    text = with_tables(document, key_tables())
    if "--check" in argv:
        if document != text:
            print(f"{DOC_FILE} is out of date: run python scripts/generate_template_keys.py")
            return 1
        return 0
    DOC_FILE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
