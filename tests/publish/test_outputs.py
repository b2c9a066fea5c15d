"""Every output checked before the run (`plan_outputs`) and written all or nothing (`publish`)."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from devstats import files
from devstats.model.errors import PublishError, UsageError
from devstats.publish import writes
from devstats.publish.outputs import OutputPlan, plan_outputs, publish
from tests.fakes.files import END, README, START, snapshot

AS_ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def plan(**given: Any) -> OutputPlan:
    options: dict[str, Any] = {
        "output": None,
        "json_output": None,
        "inject": None,
        "marker": "devstats",
        "assets": None,
        "format": "markdown",
    }
    options.update(given)
    return plan_outputs(**options)


def refused(phrase: str, **given: Any) -> UsageError:
    with pytest.raises(UsageError, match=phrase) as raised:
        plan(**given)
    assert raised.value.exit_code == 2
    return raised.value


# --- plan_outputs: refused before any request ------------------------------------------------


def test_a_missing_output_folder_is_fine_when_it_can_be_created(tmp_path: Path) -> None:
    planned = plan(output=tmp_path / "new" / "deeper" / "year.md")
    assert planned.main is not None and planned.main.path == tmp_path / "new" / "deeper" / "year.md"
    assert not (tmp_path / "new").exists()  # checking creates nothing


def test_a_folder_that_cannot_be_created_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    refused("is not a folder", output=tmp_path / "a-file" / "sub" / "year.md")
    refused("is not a folder", json_output=tmp_path / "a-file" / "y.json")
    refused("is not a folder", assets=tmp_path / "a-file" / "img")


@pytest.mark.skipif(AS_ROOT, reason="root may write in any folder")
def test_a_folder_without_write_permission_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        refused("permission denied", output=locked / "year.md")
        refused("permission denied", assets=locked / "img")
    finally:
        locked.chmod(0o755)


def test_a_folder_given_as_a_file_and_a_file_given_as_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    refused("is a folder, not a file", output=tmp_path)
    refused("is a folder, not a file", inject=tmp_path)
    refused("is not a folder", assets=tmp_path / "a-file")


def test_devices_and_pipes_are_refused_but_dash_means_stdout(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "null.md"
    link.symlink_to(os.devnull)
    error = refused("is a pipe, not a file", output=fifo)
    assert error.hint == "use - for standard output"
    refused("is a device, not a file", output=link)
    refused("is a device, not a file", json_output=link, output=tmp_path / "x.md")
    assert plan(output=Path("-")).main is None
    assert stat.S_ISFIFO(fifo.stat().st_mode) and link.is_symlink()


def test_inject_needs_an_existing_file_with_exactly_one_valid_marker_pair(tmp_path: Path) -> None:
    refused("does not exist", inject=tmp_path / "missing.md")
    refused("not -", inject=Path("-"))
    cases = {
        "no markers here\n": "no <!-- devstats:start --> marker",
        f"{START}\n": "no <!-- devstats:end --> marker",
        f"{START}\n{END}\n{START}\n{END}\n": "more than once",
        f"{END}\n{START}\n": "comes before",
    }
    for content, phrase in cases.items():
        readme = tmp_path / "README.md"
        readme.write_text(content)
        refused(phrase, inject=readme)
        assert readme.read_text() == content
    readme.write_text(README)
    refused("no <!-- other:start --> marker", inject=readme, marker="other")
    assert plan(inject=readme).inject


def test_a_bad_marker_name_is_a_usage_error(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README)
    refused("invalid marker name", inject=readme, marker="dev stats -->")
    refused("invalid marker name", marker="")


def test_two_outputs_cannot_share_a_file_or_stdout(tmp_path: Path) -> None:
    target = tmp_path / "out"
    link = tmp_path / "link"
    link.symlink_to(target)
    refused("same file", output=target, json_output=link)
    refused("share standard output", json_output=Path("-"))
    refused("share standard output", output=Path("-"), json_output=Path("-"))
    assert plan(output=target, json_output=Path("-")).json_to_stdout
    refused("exclude each other", output=target, inject=target)


def test_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(tmp_path / "loop")
    refused("cannot be followed", output=loop)


def test_asset_links_are_relative_to_the_markdown(tmp_path: Path) -> None:
    planned = plan(output=tmp_path / "docs" / "year.md", assets=tmp_path / "docs" / "img")
    assert planned.asset_link("heatmap-light.svg") == "img/heatmap-light.svg"
    beside = plan(output=tmp_path / "year.md", assets=tmp_path / "site" / "img")
    assert beside.asset_link("a.svg") == "site/img/a.svg"


# --- publish: all or nothing ----------------------------------------------------------------


def test_publish_writes_every_output_and_says_what_changed(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README)
    planned = plan(
        inject=readme, json_output=tmp_path / "data" / "year.json", assets=tmp_path / "img"
    )
    pictures = {"heatmap-light.svg": "<svg/>", "heatmap-dark.svg": b"<svg>dark</svg>"}
    messages = publish(planned, main_text="new block", json_text='{"a": 1}\n', assets=pictures)
    assert messages == [
        f"updated the 'devstats' block in {readme}",
        f"wrote 2 pictures to {tmp_path / 'img'}",
    ]
    assert readme.read_text() == README.replace("last year", "new block")
    assert (tmp_path / "data" / "year.json").read_text() == '{"a": 1}\n'
    assert (tmp_path / "img" / "heatmap-dark.svg").read_bytes() == b"<svg>dark</svg>"
    assert not [p for p in tmp_path.rglob(".*") if p.name.endswith(".tmp")]
    again = publish(planned, main_text="new block", json_text='{"a": 1}\n', assets={})
    assert again == [f"no change to the 'devstats' block in {readme}"]


def test_symlinks_are_followed_and_stay_links(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "README.md").write_text(README)
    (real / "year.md").write_text("old\n")
    (tmp_path / "README.md").symlink_to(real / "README.md")
    (tmp_path / "year.md").symlink_to("real/year.md")  # a relative link
    (tmp_path / "img").symlink_to(real)
    publish(
        plan(inject=tmp_path / "README.md", assets=tmp_path / "img"),
        main_text="new",
        json_text=None,
        assets={"a.svg": "<svg/>"},
    )
    publish(plan(output=tmp_path / "year.md"), main_text="new\n", json_text=None, assets={})
    for name in ("README.md", "year.md", "img"):
        assert (tmp_path / name).is_symlink()
    assert (real / "README.md").read_text() == README.replace("last year", "new")
    assert (real / "year.md").read_text() == "new\n"
    assert (real / "a.svg").read_text() == "<svg/>"


def test_dash_writes_to_stdout_and_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    publish(plan(output=Path("-")), main_text="# md\n", json_text=None, assets={}, stdout=out)
    planned = plan(output=tmp_path / "y.md", json_output=Path("-"))
    publish(planned, main_text="# md\n", json_text="{}\n", assets={}, stdout=out)
    assert out.getvalue() == "# md\n{}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["y.md"]


def test_existing_files_keep_their_permission_bits(tmp_path: Path) -> None:
    target = tmp_path / "year.md"
    target.write_text("old")
    target.chmod(0o640)
    publish(plan(output=target), main_text="new", json_text=None, assets={})
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text() == "new"


def fixture_tree(tmp_path: Path) -> tuple[OutputPlan, dict[str, bytes | str]]:
    readme = tmp_path / "README.md"
    readme.write_text(README)
    (tmp_path / "year.json").write_text("old json")
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a.svg").write_text("old a")
    planned = plan(
        inject=readme,
        json_output=tmp_path / "year.json",
        assets=tmp_path / "img" / "new-folder",
    )
    return planned, snapshot(tmp_path)


def publish_all(planned: OutputPlan) -> list[str]:
    return publish(
        planned,
        main_text="new block",
        json_text="new json",
        assets={"a.svg": "new a", "b.svg": "new b"},
    )


@pytest.mark.parametrize("failing_rename", [1, 2, 3, 4])
def test_a_failed_rename_puts_back_every_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_rename: int
) -> None:
    planned, before = fixture_tree(tmp_path)
    real_replace = os.replace
    calls: list[str] = []

    def replace(source: Any, target: Any) -> None:
        if str(source).endswith(".tmp") and ".old" not in str(source):
            calls.append(str(target))
            if len(calls) == failing_rename:
                raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(PublishError, match="No space left on device") as raised:
        publish_all(planned)
    assert raised.value.exit_code == 6
    assert len(calls) == failing_rename
    assert snapshot(tmp_path) == before  # the folder it made is gone too; no temporary file left


def test_a_failed_staging_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    planned, before = fixture_tree(tmp_path)
    real_stage = files.stage
    staged: list[Path] = []

    def stage(path: Path, text: str | bytes) -> Path:
        if len(staged) == 2:
            raise PublishError(f"cannot write {path}: Input/output error")
        staged.append(path)
        return real_stage(path, text)

    monkeypatch.setattr(writes, "stage", stage)
    with pytest.raises(PublishError, match="Input/output error"):
        publish_all(planned)
    assert snapshot(tmp_path) == before


def test_an_interrupt_while_renaming_also_puts_everything_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planned, before = fixture_tree(tmp_path)
    real_replace = os.replace
    count = 0

    def replace(source: Any, target: Any) -> None:
        nonlocal count
        count += 1
        if count == 3:
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        publish_all(planned)
    assert snapshot(tmp_path) == before


def test_a_target_that_became_a_pipe_after_the_check_is_refused_untouched(tmp_path: Path) -> None:
    planned, _ = fixture_tree(tmp_path)
    (tmp_path / "year.json").unlink()
    os.mkfifo(tmp_path / "year.json")
    before = snapshot(tmp_path)
    with pytest.raises(PublishError, match="is a pipe"):
        publish_all(planned)
    assert snapshot(tmp_path) == before


def test_markers_removed_during_the_run_fail_at_the_end_untouched(tmp_path: Path) -> None:
    planned, _ = fixture_tree(tmp_path)
    (tmp_path / "README.md").write_text("someone removed the block\n")
    before = snapshot(tmp_path)
    with pytest.raises(PublishError, match="no <!-- devstats:start --> marker") as raised:
        publish_all(planned)
    assert raised.value.exit_code == 6
    assert snapshot(tmp_path) == before


def test_picture_names_cannot_leave_the_assets_folder(tmp_path: Path) -> None:
    planned = plan(assets=tmp_path / "img")
    for name in ("../escape.svg", "/etc/x.svg", ""):
        with pytest.raises(ValueError, match="inside the assets folder"):
            publish(planned, main_text="", json_text=None, assets={name: "x"}, stdout=io.StringIO())
    assert not (tmp_path / "img").exists()
