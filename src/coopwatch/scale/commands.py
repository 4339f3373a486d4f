"""`coopwatch bench --scale`: its arguments only; the work is in coopwatch.scale.bench."""
from __future__ import annotations

import argparse

from .bench import MODES, RESOLUTION_MODES


def add_scale_arguments(bench: argparse.ArgumentParser) -> None:
    """The options of the scale benchmark, on the `bench` command."""
    scale = bench.add_argument_group(
        "scale benchmark (--scale)",
        "generate synthetic articles recombined from the examples (or PATHs), time each mode at each size as its "
        "own process tree, and write scale.md, scale.csv and scale.png")
    scale.add_argument("--scale", action="store_true",
                       help="run the scale benchmark: extract (1 and 2 processes) and the Spark job")
    scale.add_argument("--sizes", default="1000,10000,100000",
                       help="comma-separated article counts (k suffix allowed: 1k,10k; default 1k,10k,100k)")
    scale.add_argument("--modes", default=",".join(MODES),
                       help=f"comma-separated, from {', '.join(MODES)} (default: these), and the resolution modes "
                            f"{', '.join(RESOLUTION_MODES)} (over a record of that many articles' extractions)")
    scale.add_argument("--paragraphs", type=int, default=None, metavar="N",
                       help="keep N paragraphs of each synthetic article, its lead first (default: all)")
    scale.add_argument("--out", default="out/scale", help="folder for the articles, outputs, table and plot")
    scale.add_argument("--table", default=None, metavar="DIR",
                       help="write scale.md, scale.csv and scale.png here instead, keeping the rows already there "
                            "for other modes and sizes (a long size can be measured in a run of its own)")
    scale.add_argument("--seed", type=int, default=6)


def run_scale(args: argparse.Namespace) -> int:
    from .bench import main

    return main(args)
