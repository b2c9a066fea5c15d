"""The wheel carries what an installed devstats needs: templates, the JSON schema, py.typed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_templates_and_schema(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = tmp_path.glob("devstats-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in sorted((ROOT / "templates").glob("*.j2")):
        assert f"devstats/templates/{template.name}" in names
    assert "devstats/schema/report.schema.json" in names
    assert "devstats/py.typed" in names
    assert not any(name.startswith(("tests/", "cassettes/")) for name in names)
