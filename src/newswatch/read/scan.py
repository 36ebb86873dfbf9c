"""The watched folder -> which files exist, and their bytes when asked.

The folder is a boundary: links are followed only while they stay inside it, every
directory is entered at most once (so link loops end), and hidden entries are skipped.
Paths are keyed by a display form that is valid UTF-8 (undecodable bytes in names become
``\\xNN``), so any name can be stored in PostgreSQL; the original name is kept to open it.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newswatch.errors import (
    FileTooLarge,
    FileVanished,
    OutsideWatchedFolder,
    RejectedFile,
    UnreadableFile,
)

READ_SUFFIXES = (
    ".txt",
    ".html",
    ".htm",
    ".html.gz",
    ".htm.gz",
    ".warc",
    ".warc.gz",
    ".json",
    ".jsonl",
)
"""The names of the files newswatch reads (``formats`` says with which reader)."""
DEFAULT_INCLUDE = tuple(f"*{suffix}" for suffix in READ_SUFFIXES)
TEMPORARY = ("*.part", "*.partial", "*.crdownload", "*.download", "*.tmp", "~$*", "*~", "*.swp")
"""Files a browser, a downloader or an editor is still writing (or its lock): not counted."""
DEFAULT_EXCLUDE = ("readme*", "license*", ".*", *TEMPORARY)


@dataclass(frozen=True, slots=True)
class FileStat:
    path: str
    """Absolute path in a storable form; the file's identity across runs."""
    size: int
    mtime_ns: int
    location: str = ""
    """The name to open (may hold surrogate escapes); empty means the same as ``path``."""
    start: int = 0
    """Where to read from: a WARC or JSON Lines file read before is read on from there."""

    @property
    def open_path(self) -> str:
        return self.location or self.path


@dataclass
class ScanResult:
    files: list[FileStat] = field(default_factory=list)
    refused: list[tuple[str, RejectedFile]] = field(default_factory=list)
    """Entries the scan would not follow or could not stat, with the reason."""
    settling: list[FileStat] = field(default_factory=list)
    """Files modified too recently: probably still being written."""
    unsupported: list[FileStat] = field(default_factory=list)
    """Files of types newswatch does not read (not included): counted, named, not read."""


def display_path(name: str) -> str:
    try:
        name.encode("utf-8")  # the common case, and the cheap test: no undecodable bytes
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


def scan(
    root: Path,
    *,
    include: tuple[str, ...] = DEFAULT_INCLUDE,
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE,
    settle_ns: int = 0,
    now_ns: int = 0,
) -> ScanResult:
    """List article files below ``root``, sorted by path so runs are reproducible."""
    result = ScanResult()
    result.files = list(
        scan_files(
            root, result, include=include, exclude=exclude, settle_ns=settle_ns, now_ns=now_ns
        )
    )
    return result


def scan_files(
    root: Path,
    result: ScanResult,
    *,
    include: tuple[str, ...] = DEFAULT_INCLUDE,
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE,
    settle_ns: int = 0,
    now_ns: int = 0,
) -> Iterator[FileStat]:
    """The article files below ``root`` in path order, one folder's entries in memory at a
    time (a million files listed at once kept 250 MB for the whole run); what the scan
    refused, and files still settling, go to ``result``.

    Each folder's entries are visited sorted by name, a folder's name with its "/": so a
    walk into each folder as it comes lists the paths in the order of their strings.
    """
    real_root = os.path.realpath(root)
    if not os.path.isdir(real_root):
        raise NotADirectoryError(f"{root} is not a folder; pass the folder to watch")
    walk = _Walk(real_root, _matcher(include), _matcher(exclude), settle_ns, now_ns, result)
    return walk.folder(real_root)


@dataclass
class _Walk:
    real_root: str
    include: re.Pattern[str]
    exclude: re.Pattern[str]
    settle_ns: int
    now_ns: int
    result: ScanResult
    seen_dirs: set[tuple[int, int]] = field(default_factory=set)

    def folder(self, directory: str) -> Iterator[FileStat]:
        try:
            info = os.stat(directory)
        except OSError as exc:
            self.result.refused.append((display_path(directory), UnreadableFile(str(exc.strerror))))
            return
        if (info.st_dev, info.st_ino) in self.seen_dirs:
            return
        self.seen_dirs.add((info.st_dev, info.st_ino))
        try:
            entries = sorted(os.scandir(directory), key=_in_path_order)
        except OSError as exc:
            self.result.refused.append(
                (display_path(directory), UnreadableFile(f"cannot list folder: {exc.strerror}"))
            )
            return
        for entry in entries:
            found = _visit(
                entry,
                self.real_root,
                self.include,
                self.exclude,
                self.settle_ns,
                self.now_ns,
                self.result,
            )
            if isinstance(found, FileStat):
                yield found
            elif found is not None:
                yield from self.folder(found)


def _in_path_order(entry: os.DirEntry[str]) -> str:
    try:
        is_dir = entry.is_dir()
    except OSError:
        is_dir = False
    return display_path(entry.name) + ("/" if is_dir else "")


def _matcher(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled regex for a set of glob patterns (fnmatch per pattern per file cost
    a fifth of a no-change re-run over 100,000 files)."""
    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns) or "(?!)")


def _visit(
    entry: os.DirEntry[str],
    real_root: str,
    include: re.Pattern[str],
    exclude: re.Pattern[str],
    settle_ns: int,
    now_ns: int,
    result: ScanResult,
) -> FileStat | str | None:
    """The entry as a file to read, or a folder to walk into (its path), or None."""
    name = entry.name.lower()
    if exclude.match(name):
        return None
    shown = display_path(entry.path)
    try:
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            if os.path.commonpath([real_root, target]) != real_root:
                result.refused.append(
                    (
                        shown,
                        OutsideWatchedFolder(f"the link points outside, to {display_path(target)}"),
                    )
                )
                return None
        info = entry.stat()  # follows a link, now known to stay inside
    except FileNotFoundError:
        return None  # deleted since listing, or a dangling link: nothing to ingest
    except OSError as exc:
        result.refused.append((shown, UnreadableFile(f"cannot stat: {exc.strerror}")))
        return None
    if stat.S_ISDIR(info.st_mode):
        return entry.path
    if not stat.S_ISREG(info.st_mode):
        return None
    if not include.match(name):
        result.unsupported.append(FileStat(shown, info.st_size, info.st_mtime_ns))
        return None
    location = "" if shown == entry.path else entry.path
    found = FileStat(shown, info.st_size, info.st_mtime_ns, location)
    if settle_ns and 0 <= now_ns - info.st_mtime_ns < settle_ns:
        result.settling.append(found)
        return None
    return found


def wait_to_settle(
    settling: list[FileStat],
    settle_ns: int,
    now_ns: int,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[list[FileStat], list[FileStat]]:
    """Wait out (``sleep``) the rest of the settle window of files just written (at most
    ``settle_ns``), then look again: those whose size and mtime held still are ready, the
    others are still being written. Returns (ready, still being written)."""
    if not settling:
        return [], []
    newest = max(f.mtime_ns for f in settling)
    wait_ns = min(settle_ns, max(0, newest + settle_ns - now_ns))
    sleep(wait_ns / 1e9)
    ready, growing = [], []
    for file in settling:
        try:
            info = os.stat(file.open_path)
        except OSError:
            continue  # gone meanwhile: nothing to ingest
        if (info.st_size, info.st_mtime_ns) == (file.size, file.mtime_ns):
            ready.append(file)
        else:
            growing.append(FileStat(file.path, info.st_size, info.st_mtime_ns, file.location))
    return ready, growing


def read_bytes(file: FileStat, max_bytes: int) -> bytes:
    """Read a file whole, refusing before reading anything that is larger than allowed.

    The scan's ``stat`` gave the size, so one ``os.read`` of that size and a byte more
    takes the file and tells whether it grew since (``open().read()`` stats the file
    again, and sized its buffer to the limit, 5 MB, for every file).
    """
    if file.size > max_bytes:
        raise FileTooLarge(f"the file is {file.size:,} bytes, over the {max_bytes:,}-byte limit")
    try:
        fd = os.open(file.open_path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise FileVanished("the file disappeared before it could be read") from None
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc.strerror}") from None
    try:
        data = _read_up_to(fd, file.size + 1, max_bytes + 1)
    except IsADirectoryError:
        raise UnreadableFile("the path is now a folder") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise FileTooLarge(f"the file grew past the {max_bytes:,}-byte limit while being read")
    return data


def _read_up_to(fd: int, expected: int, limit: int) -> bytes:
    """The file's bytes to its end or to ``limit``: one read when it holds fewer than
    ``expected`` (a regular file reads short only at its end), more when it grew."""
    first = min(expected, limit)
    data = os.read(fd, first)
    if len(data) < first:
        return data
    parts, total = [data], len(data)
    while total < limit and (more := os.read(fd, limit - total)):
        parts.append(more)
        total += len(more)
    return b"".join(parts)
