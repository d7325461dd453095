"""Finds and reads the reports of a build, one at a time; a file that cannot be read is named with the reason and skipped."""
from __future__ import annotations

import codecs
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .model import Document

SUFFIXES = (".txt",)
# Real reports are under 200 KB; a file far past that is not a report (a log, a dump, a mistake),
# and extracting it would take minutes. `kg build --max-bytes` raises the limit.
MAX_BYTES = 8 * 1024 * 1024

# Magic numbers of the binary formats found renamed as .txt in real folders of reports.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive, .docx or .xlsx"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc/.xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "an executable"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts with UTF-16 LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Encodings Chinese reports come in besides UTF-8; GB18030 is the superset of GB2312 and GBK.
_CHINESE = ["gb18030", "big5", "big5hkscs", "utf_16", "utf_32"]
# C0 controls other than tab and line breaks, DEL, and lone surrogates: they carry no text and
# some RDF and HTML writers reject them. Each becomes one space, so lengths are kept.
# A terminal's colour codes (ESC [ 0 m) go whole, as spaces too.
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that could not be read, and why."""

    path: str
    reason: str


def find_files(paths: Iterable[Path | str]) -> list[Path]:
    """The .txt files named or found (recursively, sorted) under `paths`; a missing path is an InputError.

    A file named on the command line is taken whatever its name ends with.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and not p.is_dir()))
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return found


@dataclass(frozen=True, slots=True)
class Source:
    """A file to read and the document id it gets: its path relative to the folder named on the
    command line (``a/r.txt`` for ``kg build dup`` finding ``dup/a/r.txt``), or its bare name when the
    file itself was named or lies directly in that folder. Two files never share an id (see find_sources)."""

    path: Path
    doc_id: str


def find_sources(paths: Iterable[Path | str | Source], limit: int | None = None) -> list[Source]:
    """The files under `paths` (as find_files, the first `limit` of them) with their document ids.

    The same file reached twice is read once. Two different files that would get the same id, or
    the same output file name (r.txt and r given by name: both r.json), are an InputError naming
    both: a document is never silently replaced by another.
    """
    found: list[Source] = []
    for raw in paths:
        if isinstance(raw, Source):  # already found (kg build counts them for its progress bar first)
            found.append(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            found.extend(Source(p, p.relative_to(path).as_posix()) for p in find_files([path]))
        else:
            found.extend(Source(p, p.name) for p in find_files([path]))
    found = found[:limit]
    kept: dict[str, Source] = {}
    by_file_name: dict[str, Source] = {}
    for source in found:
        same = kept.get(source.doc_id)
        if same is not None and _same_file(same.path, source.path):
            continue
        other = same or by_file_name.get(output_stem(source.doc_id))
        if other is not None:
            raise InputError(f"{other.path} and {source.path} would both be document {source.doc_id!r}"
                             f"{'' if same else f' (output {output_stem(source.doc_id)}.json)'}; "
                             "give the folder that holds both, so each is named by its path in it")
        kept[source.doc_id] = source
        by_file_name[output_stem(source.doc_id)] = source
    return list(kept.values())


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return a.absolute() == b.absolute()


def output_stem(doc_id: str) -> str:
    """The file name (without extension) of a document's outputs (extract/<stem>.json, shards/<stem>.nq).

    A document in a sub-folder keeps its folders in the name, '/' written %2F (and '%' as %25),
    so no two ids share a stem unless they differ only in their extension.

    >>> output_stem("000_abc.txt"), output_stem("a/r.txt"), output_stem("50%.txt")
    ('000_abc', 'a%2Fr', '50%25')
    """
    name = doc_id.replace("%", "%25").replace("/", "%2F")
    return Path(name).stem if Path(name).suffix else name


def decode(data: bytes, path: Path | str) -> str:
    """The text of a report's bytes: by BOM, else UTF-8, else what charset-normalizer finds among Chinese encodings.

    >>> decode("新荣区".encode("gb18030"), "a.txt"), decode("新荣区".encode("utf-16"), "a.txt")
    ('新荣区', '新荣区')
    """
    if not data.strip():
        raise InputError(f"{path}: empty file")
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"{path}: binary file ({kind}), not text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _clean(data.decode(encoding, errors="replace"))
    head = data[:8192]
    if head.count(0) > len(head) // 50:  # a stray NUL in text is kept (as a space)
        text = _utf16_without_bom(data, head)
        if text is None:
            raise InputError(f"{path}: binary file, not text")
        return _clean(text)
    try:
        return _clean(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if _utf8_with_surrogates(data):
        return _clean(data.decode("utf-8", errors="surrogatepass"))
    return _clean(_detect(data, path))


def _utf16_without_bom(data: bytes, head: bytes) -> str | None:
    """UTF-16 written without a BOM: the NULs of its ASCII characters fall on odd bytes (LE) or even ones (BE).

    Not all of them: a few Han characters (一 is U+4E00) put a NUL on the other side.
    """
    even, odd = head[0::2].count(0), head[1::2].count(0)
    encoding = "utf-16-le" if even * 10 < odd else "utf-16-be" if odd * 10 < even else None
    if encoding is None or len(data) % 2:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _utf8_with_surrogates(data: bytes) -> bool:
    """UTF-8 that only fails because it encodes lone surrogates (written by buggy tools from UTF-16)."""
    try:
        data.decode("utf-8", errors="surrogatepass")
        return True
    except UnicodeDecodeError:
        return False


def _detect(data: bytes, path: Path | str) -> str:
    from charset_normalizer import from_bytes  # imported when first needed: most reports are UTF-8

    best = from_bytes(data, cp_isolation=_CHINESE).best()
    if best is None:
        raise InputError(f"{path}: not text in UTF-8, UTF-16, GB18030 or Big5")
    return str(best)


def _clean(text: str) -> str:
    return _CONTROL.sub(lambda match: " " * len(match.group()), text)


def read_document(path: Path, *, max_bytes: int = MAX_BYTES, doc_id: str | None = None) -> Document:
    """One report; its id is `doc_id`, by default the file name. An InputError says why a file cannot be read."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{path}: is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{path}: not a regular file")  # a FIFO or device would block or never end
        if info.st_size > max_bytes:
            raise InputError(f"{path}: too large ({info.st_size:,} bytes; the limit is {max_bytes:,}, see --max-bytes)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return Document(doc_id or path.name, decode(data, path), str(path))


def iter_documents(paths: Iterable[Path | str], *, max_bytes: int = MAX_BYTES) -> Iterator[Document | Skipped]:
    """Documents in order (ids as find_sources gives them), each read only when it is needed; a Skipped for each file that fails."""
    for source in find_sources(paths):
        try:
            yield read_document(source.path, max_bytes=max_bytes, doc_id=source.doc_id)
        except InputError as exc:
            yield Skipped(str(source.path), str(exc))


def unreadable(sources: Iterable[Source], *, max_bytes: int = MAX_BYTES) -> list[Skipped]:
    """Every file of `sources` that cannot be read, each read once (for --strict, before anything is written)."""
    skipped = []
    for source in sources:
        try:
            read_document(source.path, max_bytes=max_bytes)
        except InputError as exc:
            skipped.append(Skipped(str(source.path), str(exc)))
    return skipped
