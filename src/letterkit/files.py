"""Files written whole, and folders locked: what every command that writes a file uses."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from letterkit.errors import LetterkitError
from letterkit.i18n import _, reason

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, racing composes are not guarded
    fcntl = None  # type: ignore[assignment]


def write_temporary(path: Path, data: bytes) -> Path:
    """`data` in a new hidden file beside `path`, created with the umask's permissions."""
    temporary = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                         | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:  # named after the file the user asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    return temporary


def write_atomic(path: Path, data: bytes) -> None:
    """Write one file through a temporary file and a rename: never a half-written file."""
    temporary = write_temporary(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_error(exc: OSError, where: Path) -> LetterkitError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        hint = _("free some space, or choose another folder with --out; nothing was written")
    else:
        hint = _("check that the output folder exists and is writable, or choose another with "
                 "--out")
    return LetterkitError(_("cannot write {path}: {reason}").format(
        path=exc.filename or where, reason=reason(exc)), hint=hint)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on a folder (flock on the folder itself: no lock file left behind),
    held by this process until the block ends, released by the system if it dies."""
    if fcntl is None:
        yield
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)
