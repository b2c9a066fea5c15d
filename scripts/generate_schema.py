"""Write devstats/schema/report.schema.json from the report model (devstats/model/report.py).

python scripts/generate_schema.py          # rewrite the file
python scripts/generate_schema.py --check  # exit 1 when the file and the model disagree
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devstats.model.report import json_schema  # noqa: E402

SCHEMA_FILE = ROOT / "devstats" / "schema" / "report.schema.json"


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = schema_text()
    if "--check" in argv:
        if SCHEMA_FILE.read_text(encoding="utf-8") != text:
            print(f"{SCHEMA_FILE} is out of date: run python scripts/generate_schema.py")
            return 1
        return 0
    SCHEMA_FILE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
