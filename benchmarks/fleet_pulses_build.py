"""Write ``keidesign/data/crash/ncap_fleet_pulses.csv`` (docs: data/crash/README.md,
"ncap_fleet_pulses.csv"): every test of a third party's reduction of NHTSA's frontal
fixed-wall pulses, with NHTSA's test configuration, angle and speed, joined by test
number to the rows of NHTSA's 5-Star ratings file that were read.

    git -C MIRROR show 19320095:data/final_clean_dataset_rev.csv > final.csv
    git -C MIRROR show 006babf9:data/crash_classification.csv > class.csv
    python benchmarks/fleet_pulses_build.py final.csv class.csv [RATINGS.csv] [--check]

MIRROR: a clone of github.com/yangduhi/pulse_analysis (commits
19320095d4283c05a243bb11178b8b81b8f1d666 and 006babf95377a2f7b970ce2ee647cbe5c8028ce2).
RATINGS: a file with the ratings file's columns MAKE, MODEL, MODEL_YR, BODY_STYLE,
FRNT_TEST_NO, CURB_WEIGHT (NHTSA's ``Safercar_data.csv`` itself, or the extract of the
rows read, ``keidesign/data/crash/safercar_frontal_extract.csv``, the default); a ``read_in``
column, if any, is carried to ``ratings_read_in``. Join: one row per test number; the
first ratings row (in the file's order) that carries the test and a curb weight, else
the first that carries the test. ``--check``: exit 1 if the file differs from what this
would write.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from keidesign.validation.fleet_pulses import COLUMNS, lb_to_kg  # noqa: E402

OUT = ROOT / "keidesign" / "data" / "crash" / "ncap_fleet_pulses.csv"
EXTRACT = ROOT / "keidesign" / "data" / "crash" / "safercar_frontal_extract.csv"


def _curb(text: str | None) -> str:
    """A ``CURB_WEIGHT`` cell: blank where the file gives none or 0 (the ratings file
    writes 0 on some rows with no curb weight)."""
    text = (text or "").strip()
    return "" if text in ("", "0") else text


def ratings_by_test(path: Path) -> dict[str, dict]:
    """The first ratings row of each ``FRNT_TEST_NO`` with a ``CURB_WEIGHT`` (else the
    first with the test; a curb of 0 counts as none)."""
    out: dict[str, dict] = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            t = (r.get("FRNT_TEST_NO") or "").strip()
            if not t or t == "0":
                continue
            r = {**r, "CURB_WEIGHT": _curb(r.get("CURB_WEIGHT"))}
            prev = out.get(t)
            if prev is None or (not prev["CURB_WEIGHT"] and r["CURB_WEIGHT"]):
                out[t] = r
    return out


def build(final: Path, classes: Path, ratings: Path) -> str:
    with open(classes, encoding="utf-8-sig", newline="") as f:
        cls = {r["test_no"]: r for r in csv.DictReader(f)}
    rat = ratings_by_test(ratings)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    with open(final, encoding="utf-8-sig", newline="") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: int(r["test_id"]))
    for r in rows:
        t = r["test_id"]
        c = cls[t]
        v = rat.get(t, {})
        lb = (v.get("CURB_WEIGHT") or "").strip()
        w.writerow({
            "nhtsa_test_no": t, "crash_type": c["crash_type"],
            "angle_deg": f"{float(c['angle']):g}", "speed_kmh": c["speed_kph"],
            "left_channel": r["left_channel"], "right_channel": r["right_channel"],
            "max_dynamic_crush_mm": r["calc_crush_mm"], "peak_decel_g": r["calc_peak_g"],
            "energy_ratio": r["energy_ratio"], "source_quality": r["status"],
            "make": v.get("MAKE", ""), "model": v.get("MODEL", ""),
            "model_year": v.get("MODEL_YR", ""), "body_style": v.get("BODY_STYLE", ""),
            "curb_weight_lb": lb, "curb_mass_kg": f"{lb_to_kg(float(lb)):.0f}" if lb else "",
            "ratings_read_in": v.get("read_in", "Safercar_data.csv" if v else ""),
            "status": "R"})
    return buf.getvalue()


def main(argv: list[str]) -> int:
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    if len(args) not in (2, 3):
        print(__doc__)
        return 2
    text = build(Path(args[0]), Path(args[1]), Path(args[2]) if len(args) == 3 else EXTRACT)
    if check:
        same = OUT.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUT} differs")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
