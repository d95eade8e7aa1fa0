"""
The README's benchmark table, from the newest results in bench/results/.

    python bench/report.py sqlite      # newest 100,000 run, against 1,000
    python bench/report.py postgres --stories 100000 --against 1000

Prints a Markdown table: each page with the page cache off and on, and the
change in p50 against the smaller run.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import RESULTS  # noqa: E402


def newest(database, stories):
    runs = sorted(RESULTS.glob(f"bench-{database}-{stories}-*.json"))
    if not runs:
        sys.exit(f"No {database} run with {stories} stories in {RESULTS}.")
    return json.loads(runs[-1].read_text())


def key(page):
    """A page's name for comparing runs: a small run's last page stands in for 500."""
    if page.startswith("section p") and page != "section p1":
        return "section, deep page"
    return page


def figure(value, digits=1):
    return f"{value:,.{digits}f}" if value < 100 else f"{value:,.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", choices=["sqlite", "postgres"])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--against", type=int, default=1_000)
    args = parser.parse_args()
    large = newest(args.database, args.stories)
    small = {
        key(row["page"]): row for row in newest(args.database, args.against)["pages"]
    }
    print(
        "| page | off: req/s | p50 ms | p99 ms | on: req/s | p50 ms | p99 ms "
        f"| off, {args.against:,} stories: p50 ms | change |"
    )
    print("| --- " * 9 + "|")
    for row in large["pages"]:
        off, on = row["rendered"], row["kept"]
        if "skipped" in off or "skipped" in on:
            print(f"| {row['page']} | skipped |" + " |" * 7)
            continue
        name = row["page"]
        before = small.get(key(name), {}).get("rendered", {})
        change = ""
        if before.get("p50_ms"):
            change = f"{(off['p50_ms'] / before['p50_ms'] - 1) * 100:+.0f} %"
        print(
            f"| {name} | {figure(off['rps'])} | {figure(off['p50_ms'])} "
            f"| {figure(off['p99_ms'])} | {figure(on['rps'])} | {figure(on['p50_ms'])} "
            f"| {figure(on['p99_ms'])} | "
            f"{figure(before['p50_ms']) if before.get('p50_ms') else ''} | {change} |"
        )
    print()
    print(
        f"Bulk load: {large['stories_per_second'] or 'not measured in this run'} "
        f"stories a second. Memory per worker: {large['worker_rss_mb']} MB "
        f"resident, {large.get('worker_private_mb')} MB its own."
    )


if __name__ == "__main__":
    main()
