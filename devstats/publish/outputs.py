"""Every file a run writes: checked before the first request, then written all or nothing.

`plan_outputs` runs before any request. It resolves each target (a symlink is followed: its
target is written and the link stays a link) and refuses, as a usage error, whatever could not
be written at the end: a folder that is missing and cannot be created or is not writable, a
device or a FIFO where a file is expected (`-` is how to ask for stdout), a folder given as a
file, an `--inject` file without exactly one pair of valid markers. A run so never spends its
requests on an output it cannot write.

`publish` takes the rendered texts, writes each to a temporary file beside its target (flushed to
disk), and only when all of them are there renames them over their targets. If any step fails,
the targets already renamed get their old contents back and the temporary files are removed, so
every target is as it was before the run; stdout is written last, after the files.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TextIO

from devstats.model.errors import PublishError, UsageError
from devstats.publish.inject import check_marker_name, markers, replace_block
from devstats.publish.writes import Write, file_kind, write_all

STDOUT = Path("-")
FORMATS = ("markdown", "json")


@dataclass(frozen=True)
class Target:
    """A file or folder to write: as the user named it, and where it really is."""

    given: Path  # for messages and for the Markdown's relative links
    path: Path  # every symlink resolved: the file (or folder) actually written


@dataclass(frozen=True)
class OutputPlan:
    """Where each output of one run goes, every target already checked."""

    format: str
    main: Target | None  # None: standard output
    inject: bool  # `main` is a file whose marked block is replaced, not the whole file
    marker: str
    json: Target | None  # the JSON report beside the main output, as a file
    json_to_stdout: bool  # --json-output -
    assets: Target | None  # the pictures' folder
    notes: Target | None = None  # the notes on the figures, apart from the post (--notes FILE)

    @property
    def markdown_folder(self) -> Path:
        """The folder the Markdown is read from, which its picture links are relative to."""
        return self.main.given.parent if self.main is not None else Path.cwd()

    def asset_link(self, file_name: str) -> str:
        """The link from the Markdown to the picture `file_name` of the assets folder."""
        if self.assets is None:
            raise ValueError("no assets folder was planned")
        target = self.assets.given / file_name
        return Path(os.path.relpath(target, self.markdown_folder)).as_posix()


def plan_outputs(
    *,
    output: Path | None,
    json_output: Path | None,
    inject: Path | None,
    marker: str,
    assets: Path | None,
    format: str,
    notes_output: Path | None = None,
) -> OutputPlan:
    """Check every output target before the first request; UsageError (exit 2) names the first
    one that could not be written."""
    if format not in FORMATS:
        raise UsageError(f"unknown format '{format}'", hint="use markdown or json")
    _usage(check_marker_name, marker)
    if output is not None and inject is not None:
        raise UsageError("--output and --inject exclude each other")
    main: Target | None = None
    if inject is not None:
        main = _inject_target(inject, marker)
    elif output is not None and output != STDOUT:
        main = _file_target(output, "--output")
    json: Target | None = None
    json_to_stdout = json_output == STDOUT
    if json_to_stdout and main is None:
        raise UsageError(
            "--json-output - would share standard output with the main output",
            hint="write one of them to a file",
        )
    if json_output is not None and not json_to_stdout:
        json = _file_target(json_output, "--json-output")
        if main is not None and json.path == main.path:
            raise UsageError(f"--json-output {json_output} is the same file as {main.given}")
    folder = _folder_target(assets, "--assets") if assets is not None else None
    notes = _file_target(notes_output, "--notes") if notes_output is not None else None
    for other in (main, json):
        if notes is not None and other is not None and notes.path == other.path:
            raise UsageError(f"--notes {notes_output} is the same file as {other.given}")
    return OutputPlan(
        format=format,
        main=main,
        inject=inject is not None,
        marker=marker,
        json=json,
        json_to_stdout=json_to_stdout,
        assets=folder,
        notes=notes,
    )


def publish(
    plan: OutputPlan,
    *,
    main_text: str,
    json_text: str | None,
    assets: Mapping[str, str | bytes],
    stdout: TextIO | None = None,
    notes_text: str | None = None,
) -> list[str]:
    """Write every output of `plan` or none (see the module docstring); return the messages
    for the operator. `assets` maps a file name inside the assets folder to its content.

    PublishError (exit 6) when a target cannot be written after all (it changed since it was
    checked, or the disk refused); every target is then as it was.
    """
    writes: list[Write] = []
    messages: list[str] = []
    to_stdout: list[str] = []
    if plan.main is None:
        to_stdout.append(main_text)
    elif plan.inject:
        original = _read(plan.main.path, plan.main.given)
        updated = replace_block(original, main_text, marker=plan.marker, where=str(plan.main.given))
        where = f"the '{plan.marker}' block in {plan.main.given}"
        if updated == original:
            messages.append(f"no change to {where}")
        else:
            writes.append(Write(plan.main.path, updated, plan.main.given))
            messages.append(f"updated {where}")
    else:
        writes.append(Write(plan.main.path, main_text.encode("utf-8"), plan.main.given))
    if (plan.json is not None or plan.json_to_stdout) and json_text is None:
        raise ValueError("the plan has a JSON output but no JSON text was given")
    if plan.json is not None and json_text is not None:
        writes.append(Write(plan.json.path, json_text.encode("utf-8"), plan.json.given))
    elif plan.json_to_stdout and json_text is not None:
        to_stdout.append(json_text)
    if plan.notes is not None and notes_text is not None:
        writes.append(Write(plan.notes.path, notes_text.encode("utf-8"), plan.notes.given))
        messages.append(f"wrote the notes to {plan.notes.given}")
    if assets:
        if plan.assets is None:
            raise ValueError("pictures were given but the plan has no assets folder")
        for name, content in sorted(assets.items()):
            data = content.encode("utf-8") if isinstance(content, str) else content
            writes.append(
                Write(plan.assets.path / _inside(name), data, plan.assets.given / _inside(name))
            )
        count = len(assets)
        messages.append(f"wrote {count} picture{'s' if count != 1 else ''} to {plan.assets.given}")
    write_all(writes)
    out = stdout if stdout is not None else sys.stdout
    for text in to_stdout:
        out.write(text)
    out.flush()
    return messages


# --- checking targets ------------------------------------------------------------------------


def _usage(check: Callable[..., object], *args: object) -> None:
    """Run a check that raises PublishError, as a usage error (it runs before any request)."""
    try:
        check(*args)
    except PublishError as error:
        raise UsageError(error.message, hint=error.hint) from None


def _resolve(path: Path, option: str) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop (Python 3.11)
        raise UsageError(f"{option} {path} cannot be followed: {error}") from None


def _existing_mode(given: Path, option: str) -> int | None:
    """The mode of what `given` names (symlinks followed), or None when nothing is there yet.

    The system follows the links here, not `Path.resolve`: /dev/stdout leads through
    /proc/self/fd/1 to a pipe that has no path of its own, and must be seen as that pipe.
    """
    try:
        return given.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None  # a file on the way is reported by `_check_folder`
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UsageError(f"{option} {given} cannot be followed: a symlink loop") from None
        raise UsageError(f"{option} {given} cannot be used: {error.strerror or error}") from None


def _file_target(given: Path, option: str) -> Target:
    mode = _existing_mode(given, option)
    if mode is not None and not stat.S_ISREG(mode):
        special = not stat.S_ISDIR(mode)  # a device or a pipe, such as /dev/stdout
        raise UsageError(
            f"{option} {given} is {file_kind(mode)}, not a file",
            hint="use - for standard output" if special else None,
        )
    path = _resolve(given, option)
    _check_folder(path.parent, option, given)
    return Target(given, path)


def _inject_target(given: Path, marker: str) -> Target:
    if given == STDOUT:
        raise UsageError("--inject needs a file that holds the markers, not -")
    path = _resolve(given, "--inject")
    start, end = markers(marker)
    mode = _existing_mode(given, "--inject")
    if mode is None:
        raise UsageError(f"--inject {given} does not exist", hint=f"create it with {start} {end}")
    if not stat.S_ISREG(mode):
        raise UsageError(f"--inject {given} is {file_kind(mode)}, not a file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {given}: {error.strerror or error}") from None
    _usage(_check_block, data, marker, str(given))
    _check_folder(path.parent, "--inject", given)
    return Target(given, path)


def _check_block(data: bytes, marker: str, where: str) -> None:
    replace_block(data, "", marker=marker, where=where)


def _folder_target(given: Path, option: str) -> Target:
    if given == STDOUT:
        raise UsageError(f"{option} needs a folder, not -")
    path = _resolve(given, option)
    mode = _existing_mode(given, option)
    if mode is not None and not stat.S_ISDIR(mode):
        raise UsageError(f"{option} {given} is not a folder")
    _check_folder(path, option, given)
    return Target(given, path)


def _check_folder(folder: Path, option: str, given: Path) -> None:
    """`folder` exists and is writable, or its nearest existing ancestor is (to create it)."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"{option} {given}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        verb = "write in" if existing == folder else "create a folder in"
        raise UsageError(f"{option} {given}: cannot {verb} {existing} (permission denied)")


def _inside(name: str) -> str:
    """A picture's file name, refused if it would leave the assets folder."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in name:
        raise ValueError(f"not a file name inside the assets folder: {name!r}")
    return name


def _read(path: Path, given: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise PublishError(f"cannot read {given}: {error.strerror or error}") from None
