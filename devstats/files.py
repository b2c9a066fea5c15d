"""Whole-file writes that readers see complete or not at all.

Used by every step that writes a file (outputs, pictures, cassettes), so an interrupted run never
leaves a half-written file behind. `stage` is the first half of such a write (the bytes on disk
beside the target, under a temporary name); a rename is the second. devstats.publish.outputs
stages several files before it renames any of them.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from devstats.model.errors import PublishError

TEMPORARY_SUFFIX = ".tmp"


def write_atomic(path: Path, text: str | bytes) -> None:
    """Replace `path` with `text` (UTF-8) so readers see the old file or the new, never half.

    The text goes to a temporary file in the same folder, is flushed to disk, then renamed over
    the target; if anything fails before the rename, the original stays as it was. An existing
    file keeps its permission bits.
    """
    temporary = stage(path, text)
    with _removed_on_failure(temporary, path):
        os.replace(temporary, path)
    sync_folder(folder_of(path))


@contextlib.contextmanager
def _removed_on_failure(temporary: Path, path: Path) -> Iterator[None]:
    """Remove `temporary` if the block fails; an OSError becomes one PublishError naming `path`."""
    try:
        yield
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise PublishError(f"cannot write {path}: {error.strerror or error}") from None
        raise


def stage(path: Path, text: str | bytes) -> Path:
    """Write `text` to a new temporary file beside `path`, on disk, with the mode `path` has
    (or the usual umask-based mode for a new file); return the temporary file's path.

    The caller renames it over `path` or deletes it. Nothing is left behind on failure.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise PublishError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        descriptor, name = tempfile.mkstemp(
            dir=folder_of(path), prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX
        )
    except OSError as error:
        raise PublishError(f"cannot write {path}: {error.strerror or error}") from None
    temporary = Path(name)
    with _removed_on_failure(temporary, path):
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600; a new output file should get the usual umask-based mode.
        os.chmod(temporary, mode if mode is not None else 0o666 & ~_umask())
    return temporary


def folder_of(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable where the platform allows it (not on Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
