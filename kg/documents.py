"""Finds and reads the reports of a build, one at a time; unreadable files are reported, not fatal."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .model import Document

SUFFIXES = (".txt",)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that could not be read, and why."""

    path: str
    reason: str


def find_files(paths: Iterable[Path | str]) -> list[Path]:
    """The .txt files named or found (recursively, sorted) under `paths`; a missing path is an InputError."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return found


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030; a file that is neither is an InputError."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}: binary file, not text")
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: not UTF-8, UTF-16 or GB18030 text")


def read_document(path: Path) -> Document:
    """One report; its id is the file name."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    return Document(path.name, decode(data, path), str(path))


def iter_documents(paths: Iterable[Path | str]) -> Iterator[Document | Skipped]:
    """Documents in order, each read only when it is needed; a Skipped for each file that fails."""
    for path in find_files(paths):
        try:
            yield read_document(path)
        except InputError as exc:
            yield Skipped(str(path), str(exc))
