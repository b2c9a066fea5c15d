"""Writing every output of a run all or nothing: each text goes to a temporary file beside its
target (flushed to disk), and only when all are there are they renamed over their targets; if a
step fails, the targets already renamed get their old contents back and the temporary files go.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from devstats.files import TEMPORARY_SUFFIX, stage, sync_folder
from devstats.model.errors import PublishError


def file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


@dataclass(frozen=True)
class Write:
    path: Path
    data: bytes
    given: Path


@dataclass
class _Staged:
    target: Path
    temporary: Path
    given: Path
    backup: Path | None = None  # the old contents, kept until every rename is done


def write_all(writes: Sequence[Write]) -> None:
    created: list[Path] = []
    staged: list[_Staged] = []
    renamed: list[_Staged] = []
    current: Path | None = None
    try:
        for write in writes:
            current = write.given
            target = Path(os.path.realpath(write.path))  # it may have become a link since
            _refuse_non_regular(target, write.given)
            created.extend(_make_folders(target.parent))
            staged.append(_Staged(target, stage(target, write.data), write.given))
        for item in staged:
            current = item.given
            item.backup = _keep_old(item.target)
        for item in staged:
            current = item.given
            os.replace(item.temporary, item.target)
            renamed.append(item)
    except BaseException as error:
        _roll_back(renamed)
        _remove(staged, created)
        if isinstance(error, OSError):
            raise PublishError(f"cannot write {current}: {error.strerror or error}") from None
        raise
    for item in staged:
        if item.backup is not None:
            with contextlib.suppress(OSError):
                os.unlink(item.backup)
    for folder in dict.fromkeys(item.target.parent for item in staged):
        sync_folder(folder)


def _refuse_non_regular(target: Path, given: Path) -> None:
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise PublishError(f"cannot write {given}: {error.strerror or error}") from None
    if not stat.S_ISREG(mode):
        raise PublishError(f"cannot write {given}: it is {file_kind(mode)}, not a file")


def _make_folders(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; return the ones created, outermost first."""
    missing: list[Path] = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    created: list[Path] = []
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            continue  # made by someone else meanwhile: not ours to remove
        except OSError as error:
            _remove_folders(created)
            raise PublishError(f"cannot create {path}: {error.strerror or error}") from None
        created.append(path)
    return created


def _keep_old(target: Path) -> Path | None:
    """A second name for the target's current contents, to put back if a later rename fails."""
    if not target.exists():
        return None
    for _ in range(100):
        backup = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old{TEMPORARY_SUFFIX}")
        try:
            os.link(target, backup)
        except FileExistsError:
            continue
        except OSError:
            # No hard links here (some network and FAT file systems): keep a copy instead.
            shutil.copy2(target, backup)
        return backup
    raise FileExistsError(f"no free backup name beside {target}")


def _roll_back(renamed: Sequence[_Staged]) -> None:
    for item in reversed(renamed):
        with contextlib.suppress(OSError):
            if item.backup is not None:
                os.replace(item.backup, item.target)
                item.backup = None
            else:
                os.unlink(item.target)


def _remove(staged: Sequence[_Staged], created: Sequence[Path]) -> None:
    for item in staged:
        for leftover in (item.temporary, item.backup):
            if leftover is not None:
                with contextlib.suppress(OSError):
                    os.unlink(leftover)
    _remove_folders(created)


def _remove_folders(created: Sequence[Path]) -> None:
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()
