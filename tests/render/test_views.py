"""The template views: frozen, typed, read as attributes or keys, and documented by the table in
docs/templates.md that is written from them."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import pytest

from devstats.model.errors import TemplateError
from devstats.render.escape import SafeMarkdown
from devstats.render.figures import Figure
from devstats.render.markdown import render_markdown
from devstats.render.views.base import View, about
from devstats.render.views.context import build_context
from devstats.render.views.keys import (
    END,
    START,
    documented_fields,
    key_tables,
    reachable_views,
    type_text,
)
from devstats.render.views.packages import DownloadsView, PackageView
from tests.fakes.paths import ROOT
from tests.fakes.report_factory import previous_report, sample_report

DOCS = ROOT / "docs" / "templates.md"
SCRIPT = ROOT / "scripts" / "generate_template_keys.py"


def test_the_documented_tables_are_the_ones_the_views_write() -> None:
    document = DOCS.read_text(encoding="utf-8")
    block = document.split(START, 1)[1].split(END, 1)[0]
    assert block.strip() == key_tables().strip()
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout


def test_the_script_notices_and_rewrites_a_stale_table(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    (tmp_path / "docs").mkdir()
    shutil.copy(SCRIPT, tmp_path / "scripts" / SCRIPT.name)
    stale = f"# Templates\n\n{START}\n| `gone` | str | a key no view has | |\n{END}\n\n## Next\n"
    doc = tmp_path / "docs" / "templates.md"
    doc.write_text(stale, encoding="utf-8")
    script = [sys.executable, str(tmp_path / "scripts" / SCRIPT.name)]
    check = subprocess.run([*script, "--check"], capture_output=True, text=True, check=False)
    assert check.returncode == 1 and "out of date" in check.stdout
    subprocess.run(script, check=True)
    written = doc.read_text(encoding="utf-8")
    assert "`gone`" not in written and written.endswith(f"{END}\n\n## Next\n")
    assert key_tables() in written
    assert subprocess.run([*script, "--check"], check=False).returncode == 0


def test_every_view_field_has_a_row_with_its_type() -> None:
    tables = key_tables()
    package = tables.split("### `PackageView`", 1)[1].split("###", 1)[0]
    assert "At `packages[]`, `other_packages[]`, `projects[].package`." in package
    assert "| `downloads` | `DownloadsView` or none | the download figures, or none |" in package
    assert "| `releases` | Figure | releases in the year | `packages[].releases_in_year` |" in (
        package
    )
    rows = sum(len(documented_fields(view)) for view in reachable_views())
    assert tables.count("\n| `") == rows
    assert rows > 130  # the dict contexts had about 136 keys


def test_type_names_read_as_the_docs_say_them() -> None:
    assert type_text(SafeMarkdown | None) == "safe or none"
    assert type_text(tuple[PackageView, ...]) == "list of `PackageView`"
    assert type_text(tuple[SafeMarkdown, ...]) == "list of safe"
    assert type_text(Figure) == "Figure"
    assert type_text(DownloadsView | None) == "`DownloadsView` or none"


def test_a_field_without_its_about_is_refused() -> None:
    @dataclasses.dataclass(frozen=True)
    class Bare(View):
        named: Annotated[int, about("documented")]
        bare: int

    with pytest.raises(TypeError, match=r"Bare\.bare"):
        documented_fields(Bare)


def test_views_are_frozen_mappings_over_their_fields() -> None:
    post = build_context(sample_report(), lang="en")
    package = post.packages[0]
    assert package["name"] is package.name
    assert package.get("version") == package.version and package.get("nope", 7) == 7
    assert "downloads" in package and "nope" not in package
    assert list(package) == [f.name for f in dataclasses.fields(package)]
    assert dict(post)["year"] == 2022
    with pytest.raises(KeyError, match="PackageView has no key 'nope'"):
        package["nope"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        package.name = SafeMarkdown("x")  # type: ignore[misc]


def test_no_field_hides_a_mapping_method() -> None:
    methods = {"get", "keys", "items", "values"}
    for view in reachable_views():
        assert not methods & {name for name, _, _ in documented_fields(view)}, view


def _render(tmp_path: Path, text: str) -> str:
    path = tmp_path / "mine.md.j2"
    path.write_text(text, encoding="utf-8")
    return render_markdown(sample_report(previous=previous_report()), template=path)


def test_a_template_written_for_dicts_still_renders(tmp_path: Path) -> None:
    text = _render(
        tmp_path,
        '{{ packages[0]["name"] }} {{ packages[0].get("version") }} '
        '{{ compare["commits"]["text"] }} {{ packages[0]["downloads"]["total"] }}'
        '{% if "chart" in packages[0] %} chart{% endif %}'
        "{% for name, value in contributions.items() %} {{ name }}={{ value }}{% endfor %}"
        " {{ raw.user }}",
    )
    assert text.startswith("pytorch\\_optimizer 2.0.1 up from 940 in 2021 41.6k chart total=")
    assert " restricted=" in text and text.endswith(" kozistr\n")


def test_a_key_that_does_not_exist_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"mine\.md\.j2:1: .*PackageView object.* 'nope'"):
        _render(tmp_path, '{{ packages[0]["nope"] }}')
    with pytest.raises(TemplateError, match=r"mine\.md\.j2:2: .*DownloadsView object.* 'totl'"):
        _render(tmp_path, "ok\n{{ packages[0].downloads.totl }}")


def test_a_template_cannot_change_a_view(tmp_path: Path) -> None:
    with pytest.raises(TemplateError):
        _render(tmp_path, '{{ packages.__setitem__(0, "x") }}')
    with pytest.raises(TemplateError):
        _render(tmp_path, "{{ warnings.append(1) }}")
