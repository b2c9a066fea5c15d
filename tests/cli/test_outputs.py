"""The whole process and its outputs: every target is checked before the first request, and
written through symlinks, to stdout for `-`, never onto a device."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.fakes.files import README, snapshot
from tests.fakes.process import assert_clean_failure, run
from tests.fakes.world import env_for

OFFLINE = ["2022", "--user", "kozistr", "--offline"]
# An upstream nobody listens on: a run that sent a request would end with exit 5.
NOWHERE = env_for("http://127.0.0.1:9")

# The demo's author writes in Seoul; with no --timezone the run says which zone it inferred.
SEOUL_INFERRED = (
    "devstats: days and hours in Asia/Seoul, the time zone of 944 of 946 commits of the year "
    "(--timezone sets another)\n"
)


def lay_out(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("in the way\n")
    (tmp_path / "README.md").write_text(README)
    (tmp_path / "plain.md").write_text("no markers here\n")
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "null.md").symlink_to(os.devnull)


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["--output", "a-file/sub/year.md"], "a-file is not a folder"),
        (["--output", "good.md", "--json-output", "a-file/y.json"], "a-file is not a folder"),
        (["--output", "folder"], "is a folder, not a file"),
        (["--output", "fifo"], "is a pipe, not a file"),
        (["--output", "null.md"], "is a device, not a file"),
        (["--json-output", "null.md", "--output", "good.md"], "is a device, not a file"),
        (["--inject", "plain.md"], "no <!-- devstats:start --> marker"),
        (["--inject", "plain.md", "--assets", "img"], "no <!-- devstats:start --> marker"),
        (["--inject", "folder"], "is a folder, not a file"),
        (["--inject", "missing.md"], "does not exist"),
        (["--inject", "README.md", "--marker", "dev stats"], "invalid marker name"),
        (["--inject", "README.md", "--marker", "other"], "no <!-- other:start --> marker"),
        (["--inject", "README.md", "--assets", "a-file"], "is not a folder"),
        (["--output", "good.md", "--json-output", "good.md"], "same file"),
        (["--json-output", "-"], "share standard output"),
    ],
)
def test_a_target_that_cannot_be_written_fails_before_the_first_request(
    tmp_path: Path, args: list[str], phrase: str
) -> None:
    lay_out(tmp_path)
    before = snapshot(tmp_path)
    done = run(["2022", "--user", "kozistr", *args], env=NOWHERE, cwd=tmp_path)
    assert_clean_failure(done, 2, phrase)
    assert snapshot(tmp_path) == before  # no good.md, no img/, the FIFO and the link intact
    assert stat.S_ISFIFO((tmp_path / "fifo").stat().st_mode)


def test_a_missing_output_folder_is_created(tmp_path: Path) -> None:
    done = run(
        [*OFFLINE, "--output", "site/2022/year.md", "--json-output", "site/data/year.json"],
        token=None,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "2022" / "year.md").read_text().startswith("## Programming")
    assert json.loads((tmp_path / "site" / "data" / "year.json").read_text())["year"] == 2022


def test_symlinked_targets_are_written_through_and_stay_links(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "README.md").write_text(README)
    (real / "year.md").write_text("old\n")
    (tmp_path / "README.md").symlink_to(real / "README.md")
    (tmp_path / "year.md").symlink_to("real/year.md")
    injected = run([*OFFLINE, "--inject", "README.md"], token=None, cwd=tmp_path)
    written = run([*OFFLINE, "--output", "year.md"], token=None, cwd=tmp_path)
    assert injected.returncode == 0 and written.returncode == 0, injected.stderr + written.stderr
    assert (tmp_path / "README.md").is_symlink() and (tmp_path / "year.md").is_symlink()
    block = (real / "README.md").read_text()
    assert block.startswith("# me\n\n<!-- devstats:start -->\n## Programming")
    assert (real / "year.md").read_text().startswith("## Programming")
    assert injected.stderr == (
        f"devstats: updated the 'devstats' block in {tmp_path / 'README.md'}\n{SEOUL_INFERRED}"
    )


def test_dash_is_standard_output_not_a_file(tmp_path: Path) -> None:
    done = run([*OFFLINE, "-o", "-"], token=None, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("## Programming")
    both = run([*OFFLINE, "-o", "year.md", "--json-output", "-"], token=None, cwd=tmp_path)
    assert both.returncode == 0, both.stderr
    assert json.loads(both.stdout)["user"] == "kozistr"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["year.md"]


def test_assets_with_format_json_writes_the_pictures_and_says_so(tmp_path: Path) -> None:
    done = run([*OFFLINE, "--format", "json", "--assets", "img"], token=None, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    names = sorted(p.name for p in (tmp_path / "img").iterdir())
    slug = report["packages"][0]["name"].replace("_", "-")
    assert names == sorted(
        [f"heatmap-{t}.svg" for t in ("light", "dark")]
        + [f"downloads-{slug}-{t}.svg" for t in ("light", "dark")]
    )
    assert done.stderr == f"devstats: wrote 4 pictures to {tmp_path / 'img'}\n{SEOUL_INFERRED}"


@pytest.mark.skipif(not Path("/proc/self/fd/1").exists(), reason="needs /proc")
def test_a_link_to_standard_output_is_refused_and_stays_a_link(tmp_path: Path) -> None:
    # What /dev/stdout is: a link through /proc/self/fd/1 to whatever stdout is (here a pipe).
    # It is refused before any request, and the link is left alone.
    link = tmp_path / "stdout.md"
    link.symlink_to("/proc/self/fd/1")
    done = run(["2022", "--user", "kozistr", "--output", str(link)], env=NOWHERE, cwd=tmp_path)
    assert_clean_failure(done, 2, "is a pipe, not a file", "use - for standard output")
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
