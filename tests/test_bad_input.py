"""Bad input, each in a real file made here: read right, or named once with the reason and skipped; never a traceback."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from kg import Document, build, extract
from kg.cli import main
from kg.convert import to_simplified
from kg.documents import read_document


@pytest.fixture(scope="module")
def paragraph(seed_paths):
    """The opening of a seed report: places, companies, projects and programs in Markdown."""
    return seed_paths[0].read_text(encoding="utf-8")[:3000]


@pytest.fixture(scope="module")
def traditional(paragraph):
    import opencc

    text = opencc.OpenCC("s2t").convert(paragraph)
    assert len(text) == len(paragraph)
    return text


def _big5(text: str) -> str:
    """`text` without the few characters Big5 has no code for (Big5 predates them)."""
    def encodable(ch):
        try:
            ch.encode("big5")
            return True
        except UnicodeEncodeError:
            return False
    return "".join(ch for ch in text if encodable(ch))


def build_cli(*args):
    result = CliRunner().invoke(main, ["build", *map(str, args), "--no-html", "-q"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


# --- encodings -----------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "gb2312", "utf-16", "utf-16-be-bom", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32", "big5"])
def test_documents_read_each_encoding(tmp_path, paragraph, traditional, encoding):
    text = _big5(traditional) if encoding == "big5" else paragraph
    if encoding == "gb2312":
        text = text.encode("gb2312", errors="ignore").decode("gb2312")
    data = b"\xfe\xff" + text.encode("utf-16-be") if encoding == "utf-16-be-bom" else text.encode(encoding)
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(data)
    assert read_document(path).text == text


@pytest.mark.parametrize("length", [12, 60])
def test_documents_read_short_gbk_and_big5(tmp_path, paragraph, traditional, length):
    """Short files give the detector little to go on."""
    for name, text, encoding in (("gbk", paragraph[400:400 + length], "gbk"), ("big5", _big5(traditional)[400:400 + length], "big5")):
        path = tmp_path / f"{name}.txt"
        path.write_bytes(text.encode(encoding))
        assert read_document(path).text == text, name


def test_extract_traditional_gives_the_same_entities_with_traditional_names(paragraph, traditional):
    simplified = extract(Document("s.txt", paragraph))
    trad = extract(Document("t.txt", traditional))
    assert [(m.start, m.end, m.type) for m in trad.mentions] == [(m.start, m.end, m.type) for m in simplified.mentions]
    assert all(traditional[m.start:m.end] == m.text for m in trad.mentions)
    assert "新榮區" in {m.text for m in trad.mentions} and "新荣区" not in {m.text for m in trad.mentions}
    assert len(trad.facts) == len(simplified.facts)
    assert {(f.head, f.tail) for f in trad.facts} >= {("新榮區", "大同市")}
    assert all(s.text == traditional[s.start:s.end] for s in trad.sentences)


def test_build_traditional_seeds_gives_the_same_graph_shape(seed_build, seed_paths, tmp_path):
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    for path in seed_paths:
        (tmp_path / path.name).write_text(to_traditional.convert(path.read_text(encoding="utf-8")), encoding="utf-8")
    _, simplified = seed_build
    trad = build(sorted(tmp_path.glob("*.txt")), tmp_path / "out", html=False)
    assert trad.entities == simplified.entities and trad.relations == simplified.relations
    labels = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert '"新榮區"@zh' in labels and '"新荣区"@zh' in labels  # the official name, and the wording as written


def test_convert_keeps_every_offset():
    text = "臺灣的頭髮與發展，後來乾隆年間「華陽」項目"
    assert len(to_simplified(text)) == len(text)


def test_build_big5_file_keeps_traditional_labels(tmp_path, traditional):
    path = tmp_path / "big5.txt"
    path.write_bytes(_big5(traditional).encode("big5"))
    result = build_cli(path, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    turtle = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert '"長城一號旅遊公路"@zh' in turtle and '"新榮區"' in turtle


# --- files that cannot be read: named once, skipped, the rest goes on (exit 3) --------------

def _zip_bytes() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("report.txt", "新荣区")
    return buf.getvalue()


BINARY = {
    "empty": (b"", "empty file"),
    "blank": (b" \n\r\n\t \n", "empty file"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256)), "binary file (a PNG image)"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "binary file (a PDF document)"),
    "zip": (_zip_bytes(), "binary file (a zip archive"),
    "nul": (b"abc\x00\x00\x00\x01\x02" * 100, "binary file, not text"),
    "noise": (bytes((i * 97 + 13) % 256 for i in range(4000)).replace(b"\x00", b"\x80"), "not text in UTF-8, UTF-16, GB18030 or Big5"),
}


@pytest.mark.parametrize("kind", sorted(BINARY))
def test_cli_build_names_unreadable_file_once_and_goes_on(tmp_path, seed_paths, kind):
    data, reason = BINARY[kind]
    bad = tmp_path / f"{kind}.txt"
    bad.write_bytes(data)
    result = build_cli(seed_paths[4], bad, "--out", tmp_path / "out")
    assert result.exit_code == 3
    assert result.output.count(f"{bad}:") == 1 and f"kg: skipped [E200] {bad}: {reason}" in result.output
    assert "documents  1 (1 skipped)" in result.output
    assert sorted(p.name for p in (tmp_path / "out" / "extract").iterdir()) == [seed_paths[4].stem + ".json"]


def test_cli_build_skips_a_50_mb_single_line_file_by_size_unread(tmp_path, seed_paths, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.write("新荣区位于大同市".encode("utf-8") * 64)
        fh.truncate(50 * 1024 * 1024)  # one line, sparse: cheap to make; its size alone decides
    read = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or real(self))
    result = build_cli(seed_paths[4], big, "--out", tmp_path / "out")
    assert result.exit_code == 3
    assert f"{big}: too large (52,428,800 bytes; the limit is 8,388,608, see --max-bytes)" in result.output
    assert big not in read


def test_cli_build_max_bytes_lowers_the_limit(tmp_path, seed_paths):
    result = build_cli(seed_paths[4], "--max-bytes", 100, "--out", tmp_path / "out")
    assert result.exit_code == 3 and "too large" in result.output and "documents  0 (1 skipped)" in result.output


def test_cli_build_names_unreadable_file_by_permission(tmp_path, seed_paths, monkeypatch):
    locked = tmp_path / "locked.txt"
    locked.write_text("新荣区位于大同市。", encoding="utf-8")
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads any file: simulate the refusal the OS gives everyone else
        real = Path.read_bytes

        def refuse(self):
            if self == locked:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)
        monkeypatch.setattr(Path, "read_bytes", refuse)
    result = build_cli(seed_paths[4], locked, "--out", tmp_path / "out")
    assert result.exit_code == 3
    assert f"kg: skipped [E200] {locked}: cannot read: Permission denied" in result.output


def test_cli_build_names_directory_fifo_and_broken_link(tmp_path, seed_paths):
    folder = tmp_path / "folder.txt"
    (folder / "inner").mkdir(parents=True)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")
    result = build_cli(seed_paths[4], folder, fifo, link, "--out", tmp_path / "out")
    assert result.exit_code == 3 and "documents  1 (2 skipped)" in result.output  # the folder is searched, not read
    assert f"{fifo}: not a regular file" in result.output
    assert f"{link}: cannot read: No such file or directory" in result.output


def test_cli_build_folder_with_bad_files_reports_each_once(tmp_path, seed_paths):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(seed_paths[4].read_bytes())
    (folder / "b.txt").write_bytes(b"")
    (folder / "c.txt").write_bytes(BINARY["png"][0])
    (folder / "d.txt").mkdir()  # a folder named like a report: searched, not read
    result = build_cli(folder, "--out", tmp_path / "out")
    assert result.exit_code == 3
    assert result.output.count("kg: skipped") == 2 and "documents  1 (2 skipped)" in result.output


# --- --strict: any skip is fatal, nothing replaced ------------------------------------------

def test_cli_build_strict_fails_and_replaces_nothing(tmp_path, seed_paths):
    out = tmp_path / "out"
    assert build_cli(seed_paths[3], "--out", out).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.txt"
    bad.write_bytes(BINARY["pdf"][0])
    result = build_cli(seed_paths[4], bad, "--out", out, "--strict")
    assert result.exit_code == 2
    assert f"kg: skipped [E200] {bad}: binary file (a PDF document)" in result.output
    assert "kg: error: [E201] 1 file could not be read and --strict is set; no output was written" in result.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_cli_build_strict_passes_when_everything_reads(tmp_path, seed_paths):
    assert build_cli(seed_paths[4], "--out", tmp_path / "out", "--strict").exit_code == 0


# --- odd but readable: kept, with offsets and outputs intact ---------------------------------

def _built_names(out: Path) -> set[str]:
    turtle = (out / "graph.ttl").read_text(encoding="utf-8")
    store = pyoxigraph.Store()
    store.load(turtle.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    return set(re.findall(r'rdfs:label "([^"]*)"@zh', turtle))


@pytest.mark.parametrize("kind", ["control", "surrogate-utf8", "surrogate-utf16", "html", "markdown"])
@pytest.mark.parametrize("reader", [("--rules-only",), ()], ids=["rules", "learned"])
def test_cli_build_keeps_odd_text(tmp_path, paragraph, kind, reader):
    plain = tmp_path / "plain" / "p.txt"
    plain.parent.mkdir()
    plain.write_text(paragraph, encoding="utf-8")
    build_cli(plain, "--out", tmp_path / "plain-out", *reader)
    lines = paragraph.splitlines()
    if kind == "control":
        # control characters at the ends of lines, which stay lines (a photo caption is one)
        data = "\x01\x07\x1b[0m\x7f\n".join(lines).replace("。", "。\x0c\x00", 5).encode("utf-8")
    elif kind == "surrogate-utf8":
        data = paragraph.replace("。", "。\udc80\ud800", 5).encode("utf-8", errors="surrogatepass")
    elif kind == "surrogate-utf16":
        data = paragraph.replace("。", "。\ud800", 5).encode("utf-16", errors="surrogatepass")
    elif kind == "html":
        data = ("<!DOCTYPE html><html><head><script>alert('x')</script></head><body>"
                + "".join(f'<p class="c">{line}</p>\n' for line in lines) + "</body></html>").encode("utf-8")
    else:
        data = "\n".join(f"- **{line}** [链接](http://example.com/a?b=1&c=<2>)" for line in lines).encode("utf-8")
    odd = tmp_path / "odd" / "p.txt"
    odd.parent.mkdir()
    odd.write_bytes(data)
    result = build_cli(odd, "--out", tmp_path / "odd-out", *reader)
    assert result.exit_code == 0, result.output
    odd_names, plain_names = _built_names(tmp_path / "odd-out"), _built_names(tmp_path / "plain-out")
    if reader:
        assert odd_names == plain_names
    else:
        # the learned model reads the characters around a name, and stray bytes are such characters:
        # a name or two may come or go at a line end, never more
        assert len(odd_names ^ plain_names) <= 2 and len(odd_names & plain_names) >= 0.97 * len(plain_names), odd_names ^ plain_names
    doc = read_document(odd)
    assert all(doc.text[m.start:m.end] == m.text for m in extract(doc).mentions)


def test_cli_build_file_name_with_spaces_and_chinese(tmp_path, paragraph):
    path = tmp_path / "新荣 区 报告 (2024) #1.txt"
    path.write_text(paragraph, encoding="utf-8")
    result = build_cli(path, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "extract" / "新荣 区 报告 (2024) #1.json").is_file()
    turtle = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert '"新荣 区 报告 (2024) #1.txt"' in turtle


def test_extract_very_long_sentence_without_punctuation(paragraph):
    text = re.sub(r"[。！？!?；;\n，、：]", "", paragraph) * 8  # ~23,000 characters, one sentence
    ex = extract(Document("long.txt", text))
    assert len(ex.sentences) == 1 and ex.mentions
    assert all(text[m.start:m.end] == m.text for m in ex.mentions)


# --- wrong paths: one line, exit 2, nothing written -----------------------------------------

def test_cli_directory_where_a_graph_is_expected(tmp_path, seed_paths):
    runner = CliRunner()
    for args in (["query", str(tmp_path), "SELECT * WHERE {?s ?p ?o}"], ["view", str(tmp_path), "--out", str(tmp_path / "v.html")],
                 ["export", str(tmp_path), "--out", str(tmp_path / "g.nt"), "--format", "nt"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2 and f"{tmp_path}: a folder, but neither a store nor a build folder" in result.output, args
    not_a_dir = tmp_path / "out"
    not_a_dir.write_text("x", encoding="utf-8")
    result = build_cli(seed_paths[4], "--out", not_a_dir)
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "cannot write" in result.output
    assert not_a_dir.read_text(encoding="utf-8") == "x"


def test_cli_bad_input_in_a_real_process_prints_no_traceback(tmp_path, seed_paths):
    bad = tmp_path / "bad file.txt"
    bad.write_bytes(BINARY["zip"][0])
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(seed_paths[4]), str(bad), str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o")],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2 and proc.stderr.strip() == f"kg: error: [E200] {tmp_path / 'missing.txt'}: no such file or directory"
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(seed_paths[4]), str(bad), "--out", str(tmp_path / "o"), "-q", "--no-html"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"kg: skipped [E200] {bad}: binary file (a zip archive, .docx or .xlsx), not text"
