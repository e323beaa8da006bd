"""Time drawing 10,000 quiz variants (all templates round-robin) and serialising them as bank.json.

Prints e.g. "10000 variants in 2.1 s; target 10 s; ratio 0.21" (ratio = measured / target, lower is better).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time

from quizzes.bank import bank_json
from quizzes.engine import discover_templates, draw

TARGET_SECONDS = 10.0


def measure(n: int = 10_000, seed: int = 0) -> float:
    """Seconds to draw ``n`` variants spread evenly over the templates and serialise them."""
    templates = discover_templates()
    per_template = -(-n // len(templates))
    start = time.perf_counter()
    jobs = itertools.islice(((t, v) for v in range(per_template) for t in templates), n)
    items = [draw(template, seed=seed, variant=variant) for template, variant in jobs]
    bank_json(templates, items, seed=seed, variants=per_template)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=10_000, help="variants to draw (default 10000)")
    args = parser.parse_args(argv)
    seconds = measure(args.n)
    target = TARGET_SECONDS * args.n / 10_000
    print(f"{args.n} variants in {seconds:.1f} s; target {target:g} s; ratio {seconds / target:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
