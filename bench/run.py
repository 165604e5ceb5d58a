#!/usr/bin/env python3
"""Benchmarks of the site build; figures are ratios against a baseline run here.

    python bench/run.py            every case, 5 runs each
    python bench/run.py --quick    one run each (a smoke test for CI)

Writes docs/benchmarks.md and docs/benchmarks.json.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "ext"))


def build_seconds(source: Path, overrides: dict) -> float:
    """One full HTML build of a content tree, in-process, from a fresh environment."""
    from sphinx.application import Sphinx

    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        app = Sphinx(str(source), str(ROOT), out, f"{out}/.doctrees", "html",
                     confoverrides=overrides, status=io.StringIO(), warning=io.StringIO(),
                     freshenv=True)
        app.build()
        return time.perf_counter() - start


def case_autolink(runs: int) -> dict:
    """What automatic citation links add to the HTML build of the corpus."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source"
        shutil.copytree(ROOT / "source", source)
        build_seconds(source, {})  # warm caches and imports
        on, off = [], []
        for _ in range(runs):  # interleaved, so drift affects both alike
            off.append(build_seconds(source, {"itu_autolink": False}))
            on.append(build_seconds(source, {}))
    with_links, without = statistics.median(on), statistics.median(off)
    return {"case": "autolink", "what": "HTML build of the corpus, autolinking on vs off",
            "runs": runs, "seconds": round(with_links, 3), "baseline": round(without, 3),
            "ratio": round(with_links / without, 3), "target": 1.15}


CASES = [case_autolink]


def report(results: list[dict]) -> str:
    machine = f"{platform.machine()}, {platform.python_implementation()} " \
              f"{platform.python_version()}, {len(__import__('os').sched_getaffinity(0))} cores"
    lines = ["# Benchmarks", "",
             f"Measured by `python bench/run.py` on {machine}. Medians of interleaved runs;",
             "the ratio is against the baseline measured in the same session.", "",
             "| case | what | runs | seconds | baseline | ratio | target | met |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        met = "yes" if r["ratio"] <= r["target"] else "no"
        lines.append(f"| {r['case']} | {r['what']} | {r['runs']} | {r['seconds']} | "
                     f"{r['baseline']} | {r['ratio']}x | at most {r['target']}x | {met} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    cli = argparse.ArgumentParser(description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_argument("--quick", action="store_true", help="one run per case, no report")
    args = cli.parse_args()
    results = [case(1 if args.quick else 5) for case in CASES]
    for r in results:
        print(f"{r['case']}: {r['seconds']} s vs {r['baseline']} s = {r['ratio']}x "
              f"(target at most {r['target']}x)")
    if not args.quick:
        (ROOT / "docs" / "benchmarks.md").write_text(report(results), encoding="utf-8")
        (ROOT / "docs" / "benchmarks.json").write_text(
            json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print("Wrote docs/benchmarks.md and docs/benchmarks.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
