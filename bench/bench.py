"""
The benchmark: N German stories, then gunicorn (2 workers) measured with wrk.

    python bench/bench.py                       # 100,000 stories on SQLite
    python bench/bench.py --stories 2000 --duration 5
    python bench/bench.py --database postgres   # a database of its own, dropped after

Every option also reads an environment variable (BENCH_STORIES,
BENCH_DURATION, BENCH_DATABASE, BENCH_POSTGRES, BENCH_REDIS, BENCH_PORT,
BENCH_CONNECTIONS). Everything runs on loopback. It prints a table and writes
the figures as JSON to bench/results/.
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import (  # noqa: E402
    PROJECT,
    RESULTS,
    Gunicorn,
    Postgres,
    manage,
    production_env,
    status,
)

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def options():
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--stories", type=int, default=int(env("BENCH_STORIES", 100_000))
    )
    parser.add_argument(
        "--duration", type=int, default=int(env("BENCH_DURATION", 10)), help="seconds"
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres"],
        default=env("BENCH_DATABASE", "sqlite"),
    )
    parser.add_argument(
        "--postgres",
        default=env("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="the PostgreSQL server; the benchmark makes and drops its own database",
    )
    parser.add_argument(
        "--redis",
        default=env("BENCH_REDIS", ""),
        help="a Redis URL for the cache (default: each worker's local memory)",
    )
    parser.add_argument("--port", type=int, default=int(env("BENCH_PORT", 8765)))
    parser.add_argument(
        "--connections", type=int, default=int(env("BENCH_CONNECTIONS", 4))
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the benchmark database afterwards"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the SQLite database an earlier run left, without generating",
    )
    return parser.parse_args()


def setup_django(env):
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    import django

    django.setup()


STORY_LINK = re.compile(rb'href="(/[a-z]{2}/\d{4}/\d{2}/\d{2}/[^"]+)"')


def probe_browse(client, base, candidates):
    """
    Query parameters of the browse page that it understands, by trying: a
    parameter it understands changes the stories listed, not merely the
    page (which may echo any parameter in its links), and still lists some.
    """
    plain = client.get(base)
    if plain.status_code != 200:
        return None
    listed = STORY_LINK.findall(plain.content)
    chosen = {}
    for names, values in candidates:
        for name in names:
            for value in values:
                response = client.get(base, {name: value})
                found = STORY_LINK.findall(response.content)
                # An unknown value may list nothing at all: that is no filter.
                if response.status_code == 200 and found and found != listed:
                    chosen[name] = value
                    break
            if name in chosen:
                break
    return chosen


def pages(stories):
    """(label, path) of every measured page, read from the URL contract."""
    from django.db.models import Count
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from articles.models import Article, Section, TaggedCountry, TaggedTopic
    from bench.generate import COMMON_WORD, RARE_WORD

    translation.activate("de")
    public = Article.objects.published().in_language("de")
    section = Section.objects.filter(parent=None).order_by("position").first()
    in_section = public.in_section(section).count()
    last_page = max(1, math.ceil(in_section / 20))
    deep_page = min(500, last_page)
    story = public.order_by("-published_at")[public.count() // 2]
    country = (
        TaggedCountry.objects.values("tag")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    topic = (
        TaggedTopic.objects.values("tag").annotate(n=Count("id")).order_by("-n").first()
    )
    from articles.models import Country, Topic

    country = Country.objects.get(pk=country["tag"])
    topic = Topic.objects.get(pk=topic["tag"])
    notes = []
    if deep_page < 500:
        notes.append(
            f"the section has {last_page} pages; page {deep_page} stands in for 500"
        )

    def url(name, query="", **kwargs):
        try:
            return reverse(name, kwargs=kwargs or None) + query
        except NoReverseMatch:
            return None

    listed = [
        ("home", url("articles:home")),
        ("section p1", url("articles:section", path=section.path)),
        (
            f"section p{deep_page}",
            url("articles:section", f"?page={deep_page}", path=section.path),
        ),
        ("story", story.get_absolute_url()),
        (
            "story, 1,000 different",
            [
                article.get_absolute_url()
                for article in public.order_by("?")[:1000].only(
                    "slug", "published_at", "created_at"
                )
            ],
        ),
        ("country", url("articles:country", slug=country.slug)),
        ("topic", url("articles:topic", slug=topic.slug)),
    ]
    browse = url("articles:browse")
    if browse:
        client = Client(HTTP_HOST="127.0.0.1")
        chosen = probe_browse(
            client,
            browse,
            [
                (["section", "sections"], [section.path, section.slug, section.pk]),
                (["country", "countries"], [country.slug, country.code]),
                (["topic", "topics"], [topic.slug, topic.pk]),
            ],
        )
        if chosen:
            from urllib.parse import urlencode

            listed.append(
                (f"browse {len(chosen)} filters", f"{browse}?{urlencode(chosen)}")
            )
        else:
            listed.append(("browse 3 filters", browse))
    else:
        listed.append(("browse 3 filters", None))
    search = url("articles:search")
    listed += [
        ("search common", f"{search}?q={COMMON_WORD}" if search else None),
        ("search rare", f"{search}?q={RARE_WORD}" if search else None),
        ("feed", url("articles:feed")),
        ("sitemap", "/sitemap.xml"),
        ("floor /healthz", "/healthz"),
    ]
    return listed, notes


def parse_wrk(output):
    """Requests a second and the 50th and 99th latency percentiles in ms."""

    def millis(text):
        number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
        return round(float(number) * UNITS[unit], 2)

    figures = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": millis(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99_ms": millis(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    figures["non_2xx"] = int(bad.group(1)) if bad else 0
    errors = re.search(r"Socket errors:(.*)", output)
    figures["socket_errors"] = errors.group(1).strip() if errors else ""
    return figures


ROTATE = """
paths = {%s}
counter = 0
threads = 0
function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(offset + counter) %% #paths + 1])
end
"""


def measure(server, path, duration, connections):
    """wrk against one path, or in turn against a list of paths (no warm-up)."""
    script = []
    if isinstance(path, list):
        # Many different pages: what no cache has seen yet.
        lua = RESULTS / f"rotate-{os.getpid()}.lua"
        lua.write_text(ROTATE % ", ".join(json.dumps(each) for each in path))
        script = ["-s", str(lua)]
        url = server.url + path[0]
        warm = server.url + "/healthz"
    else:
        url = warm = server.url + path
    # Warm up: the workers import, connect and fill their caches first.
    subprocess.run(
        ["wrk", "-t1", f"-c{connections}", "-d1s", warm],
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            *script,
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return parse_wrk(result.stdout)


def machine():
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def measure_pages(server, listed, args):
    """wrk against every page in turn; a row of figures a page."""
    rows = []
    for label, path in listed:
        if path is None:
            rows.append({"page": label, "skipped": "no such URL in this branch"})
            continue
        first = path[0] if isinstance(path, list) else path
        answer = status(server.url + first, timeout=60)
        if answer != 200:
            rows.append({"page": label, "path": first, "skipped": f"answers {answer}"})
            print(f"   {label}: {first} answers {answer}, skipped")
            continue
        row = {"page": label, "path": first}
        if isinstance(path, list):
            row["different_paths"] = len(path)
        row.update(measure(server, path, args.duration, args.connections))
        rows.append(row)
        print(f"   {label:<22} {row['rps']:>8.1f} req/s  p99 {row['p99_ms']} ms")
    return rows


def combine(passes):
    """One row a page, with each pass's figures under the pass's name."""
    rows = []
    for index, first in enumerate(passes["rendered"]):
        row = {"page": first["page"], "path": first.get("path")}
        for name, measured in passes.items():
            row[name] = {
                key: value
                for key, value in measured[index].items()
                if key not in ("page", "path")
            }
        rows.append(row)
    return rows


def print_table(rows):
    print()
    print(f"{'':<22} {'page cache off':^30} {'page cache on':^30}")
    print(
        f"{'page':<22}"
        + f" {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9}" * 2
        + f" {'non-2xx':>8}"
    )
    for row in rows:
        line = f"{row['page']:<22}"
        bad = 0
        for name in ("rendered", "kept"):
            figures = row[name]
            if "skipped" in figures:
                line += f" {'skipped: ' + figures['skipped']:>29}"
                continue
            line += (
                f" {figures['rps']:>9.1f} {figures['p50_ms']:>9.2f}"
                f" {figures['p99_ms']:>9.2f}"
            )
            bad += figures["non_2xx"]
        print(f"{line} {bad:>8}")


def main():
    args = options()
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    postgres = None
    if args.database == "postgres":
        postgres = Postgres(args.postgres, f"newsroom_bench_{os.getpid()}")
        postgres.create()
        database_url = postgres.url
    else:
        sqlite = RESULTS / f"bench-{args.stories}.sqlite3"
        if args.reuse and not sqlite.exists():
            sys.exit(f"--reuse: there is no {sqlite.relative_to(PROJECT)} yet.")
        for leftover in RESULTS.glob(f"{sqlite.name}*"):
            if not args.reuse:
                leftover.unlink()
        database_url = f"sqlite:///{sqlite}"
    env = production_env(database_url, redis_url=args.redis, port=args.port, workers=2)
    server = None
    try:
        print(f"== {args.database}: migrate")
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        setup_django(env)
        from django.core.management import call_command, get_commands

        from bench.generate import analyze, generate

        rate = None
        if args.reuse:
            print(f"== reusing {args.stories:,} stories")
        else:
            print(f"== {args.stories:,} stories with bulk inserts")
            rate = generate(args.stories)
            print(f"   {rate:,.0f} stories a second")
        if "rebuild_search_index" in get_commands() and not args.reuse:
            print("== rebuild_search_index")
            started = time.perf_counter()
            call_command("rebuild_search_index")
            print(f"   {time.perf_counter() - started:.1f} s")
        analyze()
        listed, notes = pages(args.stories)
        from django.db import connections

        connections.close_all()

        passes = {}
        rss, private = [], []
        for name, page_cache in (("rendered", "false"), ("kept", "true")):
            print(
                f"== gunicorn, 2 workers, page cache {'on' if page_cache == 'true' else 'off'}; "
                f"wrk, {args.connections} connections, {args.duration} s a page"
            )
            server = Gunicorn(
                {**env, "NEWSROOM_PAGE_CACHE": page_cache},
                args.port,
                RESULTS / f"gunicorn-{stamp}-{name}.log",
            ).start()
            passes[name] = measure_pages(server, listed, args)
            rss += server.worker_rss_mb()
            private += server.worker_rss_mb("RssAnon")
            server.stop()
            server = None
        rows = combine(passes)
        print_table(rows)
        for note in notes:
            print(f"note: {note}")
        print(f"memory per worker (RSS): {', '.join(f'{mb} MB' for mb in rss)}")
        print(
            "of which the worker's own (no mapped files): "
            + ", ".join(f"{mb} MB" for mb in private)
        )
        report = {
            "when": stamp,
            "database": args.database,
            "stories": args.stories,
            "stories_per_second": rate and round(rate),
            "duration_s": args.duration,
            "connections": args.connections,
            "workers": 2,
            "cache": "redis" if args.redis else "local memory",
            "passes": {
                "rendered": "NEWSROOM_PAGE_CACHE=false: every page rendered",
                "kept": "NEWSROOM_PAGE_CACHE=true: pages served from the page cache",
            },
            "worker_rss_mb": rss,
            "worker_private_mb": private,
            "machine": machine(),
            "notes": notes,
            "pages": rows,
        }
        out = RESULTS / f"bench-{args.database}-{args.stories}-{stamp}.json"
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
        print(f"written: {out.relative_to(PROJECT)}")
    finally:
        if server:
            server.stop()
        if postgres and not args.keep:
            from django.db import connections

            connections.close_all()
            postgres.drop()


if __name__ == "__main__":
    main()
