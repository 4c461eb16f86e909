"""One atomic file writer for the whole package.

:func:`write_atomic` writes bytes or text; :func:`atomic_file` is a context
manager yielding a file handle, for writers that stream. Both follow the same
rules:

* The data goes to a temporary file in the target's folder (so the rename
  stays on one file system), is flushed and ``fsync``-ed, then renamed over the
  target with :func:`os.replace`: a reader sees the old file or the new one,
  never half of one.
* Mode: when the target is an existing regular file, the new file keeps that
  file's permission bits; otherwise it gets the mode :func:`open` would give,
  ``0o666`` less the process's umask (``0o644`` under the usual umask ``022``).
  ``mkstemp``'s private ``0o600`` never reaches the target.
* On any exception, ``KeyboardInterrupt`` included, the temporary file is
  removed and the target is left as it was.
* A symbolic link is followed: the file it points to is replaced, the link
  stays. A target that exists and is neither a regular file nor a folder (a
  character device such as ``/dev/stdout``, a FIFO, a socket) is written
  through, not replaced: ``-o /dev/stdout`` prints (a closed pipe raises :class:`BrokenPipeError` as it
  is, for the command line to stop quietly). A folder is refused.
* The target's folder must exist (callers create it when they mean to).

An :class:`OSError` is raised as :class:`~alliance_kg.errors.InputError`
naming the target path.

Folders are replaced the same way, as a whole (:func:`replacing_folder`): the
new one is filled beside the target, then swapped in (on Linux in one step,
``renameat2(RENAME_EXCHANGE)``; elsewhere the target is renamed aside and the new
one renamed in) and the old one deleted last, so a reader sees the old folder or
the new one and a failure leaves the old one as it was. Releases and on-disk
stores are written so.

Temporaries a killed run leaves (``kill -9``, a full disk's ``SIGXFSZ``, a power
cut) are named for the process that made them: ``.NAME.akg-PID-XXXXXXXX.tmp``
(a file or folder being written) and ``.NAME.akg-PID-XXXXXXXX.old`` (a folder set
aside during a swap). Every writer first removes, in the folder it writes into,
those whose process is no longer alive (:func:`sweep_stale`; a live concurrent
run's are never touched), and puts back a folder such a run had set aside when
its place is empty, so the next run leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, Final, Literal, TextIO, overload

from alliance_kg.errors import InputError

__all__ = [
    "atomic_file",
    "default_mode",
    "is_temporary",
    "replacing_folder",
    "swap_folder",
    "sweep_stale",
    "temp_prefix",
    "write_atomic",
]

_log = logging.getLogger("alliance_kg")

#: ``.NAME.akg-PID-RANDOM.tmp`` or ``.old``: a temporary of :mod:`alliance_kg.atomic`, and the process that made it.
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.akg-(?P<pid>[0-9]+)-[A-Za-z0-9_]+\.(?P<kind>tmp|old)$")


def _umask() -> int:
    """The process's umask, read without changing it where ``/proc`` allows (Linux), else set and put back."""
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def default_mode() -> int:
    """The mode a new file gets: ``0o666`` less the umask, as :func:`open` would give it."""
    return 0o666 & ~_umask()


def temp_prefix(name: str) -> str:
    """The start of the name of a temporary for ``name`` made by this process: ``.NAME.akg-PID-``."""
    return f".{name}.akg-{os.getpid()}-"


def is_temporary(name: str) -> bool:
    """Whether ``name`` is the name of a temporary file or folder of this module (of any process)."""
    return _TEMPORARY.match(name) is not None


def _alive(pid: int) -> bool:
    """Whether process ``pid`` may still be running (when in doubt: yes). A zombie, killed but not yet reaped
    by its parent, is not."""
    if pid <= 0 or pid == os.getpid() or sys.platform == "win32":  # os.kill(pid, 0) is no probe on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: another user's live process
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace").rpartition(")")[2].split()
    except OSError:
        return True
    return state[:1] != ["Z"]


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def sweep_stale(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove from ``folder`` the temporaries (see the module docstring) of processes no longer alive; return them.

    A folder such a run had set aside in a swap (``.NAME.akg-PID-….old``) is put back as ``NAME`` when nothing is
    there (the run died between its two renames), and is removed otherwise. Temporaries of live processes (a
    concurrent run, this one) are left alone. Errors are ignored: a sweep never stops a write.
    """
    where = Path(folder)
    try:
        names = sorted(entry.name for entry in os.scandir(where))
    except OSError:
        return []
    found = [(name, match) for name in names if (match := _TEMPORARY.match(name)) and not _alive(int(match["pid"]))]
    swept: list[Path] = []
    for name, match in sorted(found, key=lambda item: item[1]["kind"] != "old"):  # put back before removing
        path = where / name
        target = where / match["name"]
        if match["kind"] == "old" and not target.exists() and not target.is_symlink():
            try:
                path.rename(target)
            except OSError:
                pass
            else:
                _log.warning("alliance-kg: put back %s, which an interrupted run had set aside", target)
                continue
        _remove(path)
        swept.append(path)
    if swept:
        _log.debug("removed the temporaries of interrupted runs: %s", ", ".join(map(str, swept)))
    return swept


_RENAME_EXCHANGE: Final = 2
_AT_FDCWD: Final = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap the two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where that is not supported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, ImportError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}:
        return False  # an old kernel or a file system without it
    raise OSError(code, os.strerror(code), str(second))


def _sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable; best effort."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def swap_folder(new_dir: Path, target: Path) -> None:
    """Replace the folder ``target`` (if any) by ``new_dir``, both on one file system; the old one is deleted last.

    On Linux the two are exchanged in one step, so ``target`` is never missing; elsewhere ``target`` is renamed
    aside first (as ``.NAME.akg-PID-….old``, which :func:`sweep_stale` puts back should this process die before
    the new one is in place). Raises :class:`OSError` when ``target`` exists and is not a folder (or is a link),
    or a rename fails; the old folder is then put back.
    """
    if not (target.exists() or target.is_symlink()):
        new_dir.rename(target)
        _sync_folder(target.parent)
        return
    if not target.is_dir() or target.is_symlink():
        raise NotADirectoryError(f"{target} exists and is not a folder; not replacing it")
    if _exchange(new_dir, target):
        _sync_folder(target.parent)
        shutil.rmtree(new_dir, ignore_errors=True)  # now the old folder
        return
    old_dir = Path(tempfile.mkdtemp(prefix=temp_prefix(target.name), suffix=".old", dir=target.parent))
    old_dir.rmdir()
    target.rename(old_dir)
    try:
        new_dir.rename(target)
    except BaseException:
        old_dir.rename(target)
        raise
    _sync_folder(target.parent)
    shutil.rmtree(old_dir, ignore_errors=True)


@contextlib.contextmanager
def replacing_folder(target: Path) -> Iterator[Path]:
    """A new, empty folder beside ``target`` to fill; swapped in for ``target`` as a whole when the block ends
    without an exception (:func:`swap_folder`), deleted in every case that leaves it behind.

    The stale temporaries of interrupted runs beside ``target`` are swept first (:func:`sweep_stale`). The new
    folder (``.NAME.akg-PID-….tmp``) gets the mode :func:`os.mkdir` would give it (``0o777`` less the umask), not
    ``mkdtemp``'s private ``0o700``. :class:`OSError` is raised as it is: callers say what they were writing.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(target.parent)
    temp = Path(tempfile.mkdtemp(prefix=temp_prefix(target.name), suffix=".tmp", dir=target.parent))
    try:
        temp.chmod(0o777 & ~_umask())
        yield temp
        swap_folder(temp, target)
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)


def _error(message: str, error: OSError, path: Path) -> InputError:
    return InputError(f"{message}: {error.strerror or error}", path=path)


def _resolve(path: Path) -> tuple[Path, os.stat_result | None]:
    """The path to replace (a link's target) and its status, or None when it does not exist."""
    if "\x00" in str(path):  # the OS cannot name it; Python raises ValueError, not OSError
        raise InputError("a file name cannot contain a NUL character", path=Path(str(path).replace("\x00", "\\0")))
    target = path.resolve() if path.is_symlink() else path
    try:
        status = target.stat()
    except FileNotFoundError:
        return target, None
    except OSError as error:
        raise _error("cannot write", error, path) from error
    if stat.S_ISDIR(status.st_mode):
        raise InputError("is a folder; not replacing it", path=path)
    return target, status


@contextlib.contextmanager
def _atomic_file(path: Path, mode: str, encoding: str | None, newline: str | None, buffering: int) -> Iterator[IO[Any]]:
    target, status = _resolve(path)
    if status is not None and not stat.S_ISREG(status.st_mode):
        # A device, FIFO or socket: write through it; renaming over it would replace it by a regular file.
        try:
            handle = target.open(mode, buffering, encoding=encoding, newline=newline)
        except OSError as error:
            raise _error("cannot write", error, path) from error
        try:
            with handle:
                yield handle
                handle.flush()
        except BrokenPipeError:
            raise  # the reader went away (``-o /dev/stdout | head``): the command line stops quietly
        except OSError as error:
            raise _error("cannot write", error, path) from error
        return

    file_mode = stat.S_IMODE(status.st_mode) if status is not None else default_mode()
    sweep_stale(target.parent)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=temp_prefix(target.name), suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise _error("cannot write here", error, path) from error
    temp = Path(temp_name)
    try:
        try:
            os.fchmod(fd, file_mode)  # mkstemp makes the file 0600
            handle = os.fdopen(fd, mode, buffering, encoding=encoding, newline=newline)
        except BaseException:
            os.close(fd)
            raise
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(target)  # os.replace: atomic on POSIX
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _error("cannot write", error, path) from error
        raise
    _sync_folder(target.parent)  # make the rename itself durable


@overload
def atomic_file(
    path: str | os.PathLike[str],
    mode: Literal["wb"] = "wb",
    *,
    encoding: None = None,
    newline: None = None,
    buffering: int = -1,
) -> contextlib.AbstractContextManager[BinaryIO]: ...


@overload
def atomic_file(
    path: str | os.PathLike[str],
    mode: Literal["w", "wt"],
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
    buffering: int = -1,
) -> contextlib.AbstractContextManager[TextIO]: ...


def atomic_file(
    path: str | os.PathLike[str],
    mode: str = "wb",
    *,
    encoding: str | None = None,
    newline: str | None = None,
    buffering: int = -1,
) -> contextlib.AbstractContextManager[IO[Any]]:
    """A handle on a temporary file that replaces ``path`` when the ``with`` block ends without an exception.

    ``mode`` is ``"wb"`` (the default) or ``"w"``/``"wt"`` (text; ``encoding``
    defaults to UTF-8); ``buffering`` is :func:`open`'s. See the module docstring for the rules.
    """
    if mode not in ("wb", "w", "wt"):
        raise ValueError(f"atomic_file mode must be 'wb', 'w' or 'wt', not {mode!r}")
    if mode == "wb":
        if encoding is not None or newline is not None:
            raise ValueError("binary mode takes no encoding or newline")
    elif encoding is None:
        encoding = "utf-8"
    return _atomic_file(Path(path), mode, encoding, newline, buffering)


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` (bytes, or text encoded with ``encoding``, newlines as given) to ``path`` atomically.

    Returns ``path``. See the module docstring for the rules.
    """
    content = data.encode(encoding) if isinstance(data, str) else data
    with atomic_file(path, "wb") as handle:
        handle.write(content)
    return Path(path)
