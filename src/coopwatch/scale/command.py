"""`coopwatch bench-scale`: arguments only; the work is in coopwatch.scale.bench."""
from __future__ import annotations

import argparse

MODES = ("extract-1", "extract-2", "spark-local2")


def register(subcommands) -> None:
    p = subcommands.add_parser(
        "bench-scale", help="time extract (1 and 2 processes) and the Spark job on 1k/10k/100k synthetic articles",
        description="Generate synthetic articles recombined from the examples, time each mode at each size, "
                    "and write scale.md, scale.csv and scale.png.")
    p.add_argument("--sizes", default="1000,10000,100000",
                   help="comma-separated article counts, e.g. 1000,10000 (k suffix allowed: 1k,10k)")
    p.add_argument("--modes", default=",".join(MODES), help=f"comma-separated, from {', '.join(MODES)}")
    p.add_argument("--out", default="out/scale", help="folder for the articles, outputs, table and plot")
    p.add_argument("--source", nargs="*", default=None, help="articles to recombine (default: examples/)")
    p.add_argument("--seed", type=int, default=6)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from .bench import main

    return main(args)
