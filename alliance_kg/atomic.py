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
new one is filled beside the target, then the target is renamed aside, the new
one renamed in and the old one deleted last, so a reader sees the old folder or
the new one and a failure leaves the old one as it was. Releases and on-disk
stores are written so.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, TextIO, overload

from alliance_kg.errors import InputError

__all__ = ["atomic_file", "default_mode", "replacing_folder", "swap_folder", "write_atomic"]


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


def swap_folder(new_dir: Path, target: Path) -> None:
    """Replace the folder ``target`` (if any) by ``new_dir``, both on one file system; the old one is deleted last.

    Raises :class:`OSError` when ``target`` exists and is not a folder (or is a link), or a rename fails; the
    old folder is then put back.
    """
    import shutil

    old_dir: Path | None = None
    if target.exists() or target.is_symlink():
        if not target.is_dir() or target.is_symlink():
            raise NotADirectoryError(f"{target} exists and is not a folder; not replacing it")
        old_dir = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old_dir.rmdir()
        target.rename(old_dir)
    try:
        new_dir.rename(target)
    except BaseException:
        if old_dir is not None:
            old_dir.rename(target)
        raise
    if old_dir is not None:
        shutil.rmtree(old_dir, ignore_errors=True)


@contextlib.contextmanager
def replacing_folder(target: Path) -> Iterator[Path]:
    """A new, empty folder beside ``target`` to fill; swapped in for ``target`` as a whole when the block ends
    without an exception (:func:`swap_folder`), deleted in every case that leaves it behind.

    The new folder gets the mode :func:`os.mkdir` would give it (``0o777`` less the umask), not ``mkdtemp``'s
    private ``0o700``. :class:`OSError` is raised as it is: callers say what they were writing.
    """
    import shutil

    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
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
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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
    with contextlib.suppress(OSError):  # make the rename itself durable; best effort
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


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
