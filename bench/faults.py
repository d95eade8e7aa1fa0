"""
Load and faults: 50 clients for 60 seconds against gunicorn, with the
database and then the cache taken away in the middle.

    python bench/faults.py [--clients 50] [--duration 60] [--stories 2000]

It starts a PostgreSQL cluster and a Redis of its own (temporary, on free
ports, never the machine's shared ones), loads stories, and serves the site
with gunicorn on loopback. The run is cut into phases:

    normal       every answer 2xx
    db down      PostgreSQL stopped: 503 in the site's look or a page from
                 the page cache (some must be), never another error; an
                 editor saving gets the 503 page with everything they sent
    db back      PostgreSQL started again: the site recovers by itself
                 (after a short grace) and the editor's "save again" works
    redis down   Redis stopped: every answer still 2xx, only slower
    redis back   every answer 2xx

It prints a table per phase and exits with 1 when a check fails. Needs
root (PostgreSQL runs as the postgres user), PostgreSQL 15 binaries and
redis-server. Stops by itself, and cleans up after itself.
"""

import argparse
import http.cookiejar
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib

from bench.server import RESULTS, Gunicorn, manage, production_env  # noqa: E402

PG_BIN = Path(os.environ.get("FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin"))
SITE_NAME = "Nachrichtenverbund der Seidenstraßen-Initiative"
EDITOR_PASSWORD = "faults-editor-password-1"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnPostgres:
    """A PostgreSQL cluster in a temporary folder, run as the postgres user."""

    def __init__(self, root):
        self.dir = Path(root) / "pg"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/newsroom"

    def run(self, *command, check=True):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            check=check,
            capture_output=True,
            text=True,
        )

    def init(self):
        self.dir.mkdir(parents=True)
        shutil.chown(self.dir, "postgres", "postgres")
        shutil.chown(self.dir.parent, "postgres", "postgres")
        self.run(
            str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-A", "trust",
            "-U", "postgres", "--encoding", "UTF8", "--locale", "C.UTF-8",
        )  # fmt: skip
        self.start()
        self.run(
            str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port),
            "-U", "postgres", "-c", "CREATE DATABASE newsroom",
        )  # fmt: skip

    def start(self):
        self.run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-w", "-l",
            str(self.dir / "log"), "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1",
            "start",
        )  # fmt: skip

    def stop(self):
        self.run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast",
            "-w", "stop",
            check=False,
        )  # fmt: skip


class OwnRedis:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Load:
    """`clients` threads fetching the pages in turn until told to stop."""

    def __init__(self, base, paths, clients):
        self.base = base
        self.paths = paths
        self.clients = clients
        self.phase = "normal"
        self.results = []  # (phase, path, status or error, seconds, look ok)
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def client(self, number):
        opener = urllib.request.build_opener()
        turn = number
        while not self.stopping.is_set():
            path = self.paths[turn % len(self.paths)]
            turn += 1
            started = time.perf_counter()
            try:
                with opener.open(self.base + path, timeout=30) as response:
                    response.read()
                    outcome, look = response.status, True
            except urllib.error.HTTPError as error:
                body = error.read().decode("utf-8", "replace")
                outcome, look = error.code, SITE_NAME in body
            except (urllib.error.URLError, OSError) as error:
                outcome, look = f"error: {error}", False
            # A request counts for the phase it ended in: one that started
            # just before the database stopped may rightly get a 503.
            phase = self.phase
            with self.lock:
                self.results.append(
                    (phase, path, outcome, time.perf_counter() - started, look)
                )

    def start(self):
        self.threads = [
            threading.Thread(target=self.client, args=(n,), daemon=True)
            for n in range(self.clients)
        ]
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=40)


class FormFields(HTMLParser):
    """The fields a browser would send, for each POST form on a page."""

    def __init__(self):
        super().__init__()
        self.forms, self.fields = [], None
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.fields = []
            self.forms.append(self.fields)
        if self.fields is None:
            return
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "file", "button", "image"):
                return
            self.fields.append([attrs["name"], attrs.get("value") or ""])
        elif tag == "textarea":
            self.textarea = [attrs.get("name"), ""]
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append([self.select, attrs.get("value", "")])

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            if self.textarea[0] and self.fields is not None:
                self.fields.append(self.textarea)
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.fields = None


def form_fields(html):
    """The fields of the page's main form: the POST form with the most fields."""
    parser = FormFields()
    parser.feed(html)
    parser.close()
    return max(parser.forms, key=len, default=[])


class Editor:
    """An editor in a browser: cookies, the change form, saving."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def fetch(self, path, data=None):
        pairs = data.items() if isinstance(data, dict) else data or []
        body = urllib.parse.urlencode([tuple(pair) for pair in pairs]).encode()
        body = body or None
        request = urllib.request.Request(self.base + path, data=body)
        if body:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), path

    def log_in(self, admin, username):
        status, html, _ = self.fetch(f"{admin}login/")
        fields = dict(form_fields(html))
        fields.update(username=username, password=EDITOR_PASSWORD)
        status, html, url = self.fetch(f"{admin}login/", fields)
        return status == 200 and "login" not in url


def prepare(env, stories):
    """Migrate, load stories and an editor; return the pages and the editor's story."""
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from articles.models import Article, Section
    from bench.generate import generate

    generate(stories, progress=lambda line: None)
    editor = get_user_model().objects.create_user(
        "faults-editor", password=EDITOR_PASSWORD, is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Editors"))
    translation.activate("de")
    public = Article.objects.published().in_language("de").order_by("-published_at")
    stories_sample = list(public[:20])
    section = Section.objects.filter(parent=None).first()
    paths = [reverse("articles:home"), section.get_absolute_url(), "/healthz"]
    paths += [story.get_absolute_url() for story in stories_sample[:10]]
    for story in stories_sample[:3]:
        paths += [tag.get_absolute_url() for tag in story.countries.all()[:1]]
        paths += [tag.get_absolute_url() for tag in story.topics.all()[:1]]
    for name, query in [
        ("articles:browse", ""),
        ("articles:search", "?q=Zusammenarbeit"),
        ("articles:feed", ""),
    ]:
        with contextlib.suppress(NoReverseMatch):
            paths.append(reverse(name) + query)
    admin = reverse("admin:index")
    change = reverse("admin:articles_article_change", args=[stories_sample[-1].pk])
    from django.db import connections

    connections.close_all()
    return paths, admin, change


def summarize(load, phases):
    rows, ok = [], True
    for phase, expect in phases:
        results = [row for row in load.results if row[0] == phase]
        if not results:
            continue
        outcomes = {}
        for _, _, outcome, _, _ in results:
            key = outcome if isinstance(outcome, int) else "error"
            outcomes[key] = outcomes.get(key, 0) + 1
        times = sorted(seconds for _, _, _, seconds, _ in results)
        bad = [row for row in results if not expect(row)]
        rows.append(
            (
                phase,
                len(results),
                ", ".join(
                    f"{key}: {n}" for key, n in sorted(outcomes.items(), key=str)
                ),
                statistics.median(times) * 1000,
                times[int(len(times) * 0.99) - 1] * 1000,
                len(bad),
            )
        )
        if bad:
            ok = False
            print(f"! {phase}: {len(bad)} unexpected, e.g. {bad[0][1]} -> {bad[0][2]}")
    print()
    print(
        f"{'phase':<12} {'requests':>8}  {'p50 ms':>7} {'p99 ms':>8} {'bad':>5}  answers"
    )
    for phase, count, answers, p50, p99, bad in rows:
        print(f"{phase:<12} {count:>8}  {p50:>7.1f} {p99:>8.1f} {bad:>5}  {answers}")
    return ok


def two_xx(row):
    return isinstance(row[2], int) and 200 <= row[2] < 400


def unavailable_or_cached(row):
    return two_xx(row) or (row[2] == 503 and row[4])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds, at least 30")
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    duration = max(30, args.duration)
    RESULTS.mkdir(parents=True, exist_ok=True)
    root = tempfile.mkdtemp(prefix="newsroom-faults-")
    postgres, redis, server = OwnPostgres(root), OwnRedis(), None
    checks = []
    try:
        print("== own PostgreSQL and Redis on free ports")
        postgres.init()
        redis.start()
        port = free_port()
        env = production_env(
            postgres.url, redis_url=redis.url, port=port, workers=args.workers,
            GUNICORN_TIMEOUT="20",
        )  # fmt: skip
        print(f"== {args.stories:,} stories")
        paths, admin, change = prepare(env, args.stories)
        server = Gunicorn(env, port, Path(root) / "gunicorn.log").start()
        editor = Editor(server.url)
        checks.append(("editor logs in", editor.log_in(admin, "faults-editor")))
        status, html, _ = editor.fetch(change)
        fields = form_fields(html)
        checks.append(("editor opens a story", status == 200 and bool(fields)))

        load = Load(server.url, paths, args.clients)
        print(f"== {args.clients} clients for {duration} s over {len(paths)} pages")
        started = time.monotonic()
        text = "Gerettet: dieser Text darf nicht verloren gehen."
        kept = []

        def phase(name, share, action=None):
            """Run `action`, then keep the load on for the phase's share of the run."""
            load.phase = name
            begun = time.monotonic()
            if action:
                action()
            # Slow actions never squeeze a phase to nothing.
            time.sleep(max(2, begun + share * duration - time.monotonic()))

        def log(event):
            print(f"   {time.monotonic() - started:5.1f} s  {event}")

        def database_down():
            postgres.stop()
            log("PostgreSQL stopped")
            time.sleep(1)
            sent = [
                [name, text if name == "headline" else value] for name, value in fields
            ]
            status, html, _ = editor.fetch(change, sent)
            checks.append(("editor saving gets 503", status == 503))
            checks.append(("the 503 page keeps the text", text in html))
            kept.extend(form_fields(html))

        def database_up():
            postgres.start()
            log("PostgreSQL started")

        def save_again():
            status, _, url = editor.fetch(change, kept)
            checks.append(
                (
                    "save again after the outage",
                    status == 200 and url.endswith("/article/"),
                )
            )
            status, html, _ = editor.fetch(change)
            checks.append(("the saved story has the text", text in html))

        def redis_down():
            redis.stop()
            log("Redis stopped")

        def redis_up():
            redis.start()
            log("Redis started")

        load.start()
        phase("normal", 0.25)
        phase("db down", 0.2, database_down)
        phase("db grace", 0.05, database_up)
        phase("db back", 0.1, save_again)
        phase("redis down", 0.2, redis_down)
        phase("redis grace", 0.05, redis_up)
        phase("redis back", 0.15)
        load.stop()
        ok = summarize(
            load,
            [
                ("normal", two_xx),
                ("db down", unavailable_or_cached),
                ("db grace", unavailable_or_cached),
                ("db back", two_xx),
                ("redis down", two_xx),
                ("redis grace", two_xx),
                ("redis back", two_xx),
            ],
        )
        # The page cache keeps serving what readers saw before the outage.
        kept_pages = {
            path
            for phase_name, path, outcome, _, _ in load.results
            if phase_name == "db down" and outcome == 200 and path != "/healthz"
        }
        checks.append(
            (
                f"kept pages served while the database is down ({len(kept_pages)})",
                bool(kept_pages),
            )
        )
        print()
        for name, passed in checks:
            print(f"{'ok  ' if passed else 'FAIL'} {name}")
        ok = ok and all(passed for _, passed in checks)
        print("\nPASSED" if ok else "\nFAILED")
        return 0 if ok else 1
    finally:
        if server:
            server.stop()
        redis.stop()
        postgres.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
