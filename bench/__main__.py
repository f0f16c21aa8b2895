"""`python -m bench [--cases N | --quick] [--keep [DIR]] [--fresh] [--repeat N] [--seed S] [--cache-kib K] [--no-sync]`.

Every figure is printed with its target beside it (met or MISSED), and the targets missed are listed last.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench import sections
from bench.report import Report, environment
from bench.store_setup import DEFAULT_CACHE, bench_stores

QUICK_CASES = 5_000


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--cases", type=int, default=50_000, help="demo cases (20 story entries each)")
    parser.add_argument("--quick", action="store_true", help=f"a smoke run on {QUICK_CASES:,} cases")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=None, help="measured runs per item (default 7, quick 5)")
    parser.add_argument("--keep", type=Path, nargs="?", const=DEFAULT_CACHE, default=None, metavar="DIR",
                        help=f"keep the generated stores in DIR and reuse them next time (default {DEFAULT_CACHE})")
    parser.add_argument("--fresh", action="store_true", help="generate again even when --keep has stores")
    parser.add_argument("--cache-kib", type=int, default=None, metavar="KIB",
                        help="what-if: give every measured connection a page cache of KIB KiB (PRAGMA cache_size)")
    parser.add_argument("--no-sync", action="store_true", help="leave out (h), the sync figures against a central")
    args = parser.parse_args(argv)
    if args.quick:
        args.cases = QUICK_CASES
    if args.repeat is None:
        args.repeat = 5 if args.quick else 7
    return args


def main(argv: list[str]) -> int:
    args = parse(argv)
    started = time.perf_counter()
    report = Report(environment(), {"cases": args.cases, "seed": args.seed, "repeat": args.repeat,
                                    "keep": str(args.keep) if args.keep else None, "cache_kib": args.cache_kib})
    with bench_stores(cases=args.cases, seed=args.seed, keep=args.keep, fresh=args.fresh,
                      cache_kib=args.cache_kib) as stores:
        print("Measuring ...", file=sys.stderr)
        if args.cache_kib:
            report.add("!", f"WHAT-IF RUN: every measured connection has PRAGMA cache_size = -{args.cache_kib}")
        sections.generation(report, stores)
        vault_median = sections.unlock(report, stores, args.repeat)
        sections.search(report, stores)
        sections.case_list(report, stores, args.repeat)
        sections.cipher_cost(report, stores, args.repeat)
        sections.window(report, stores, vault_median)
        sections.letters(report)
        sections.caseload(report, args.repeat)
        if not args.no_sync:
            sections.sync(report)
    print(report.table())
    path = report.write_json()
    print(f"\nWritten to {path} ({time.perf_counter() - started:.0f} s in all).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
