"""
What the benchmark and the load-and-faults run share: the production
environment for the child processes, a throw-away database, and gunicorn
started and stopped on loopback.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
from psycopg import sql

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT / "bench" / "results"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")


def production_env(database_url, *, redis_url="", port=8765, workers=2, **extra):
    """The variables of the production configuration, for loopback."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        # Plain HTTP on loopback: scripted clients send no secure-only cookies.
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_CONN_MAX_AGE": "60",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_CACHE_KEY_PREFIX": f"bench{os.getpid()}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
        **extra,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def manage(env, *args, quiet=True):
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


class Postgres:
    """A database of its own on a PostgreSQL server, dropped afterwards."""

    def __init__(self, server_url, name):
        self.server_url = server_url.rstrip("/")
        self.name = name
        self.url = f"{self.server_url}/{name}"

    def admin(self):
        return psycopg.connect(f"{self.server_url}/postgres", autocommit=True)

    def create(self):
        self.drop()
        with self.admin() as connection:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name))
            )

    def drop(self):
        with self.admin() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.name)
                )
            )


class Gunicorn:
    """gunicorn with the project's config file, on loopback, in the background."""

    def __init__(self, env, port, log_path):
        self.env = env
        self.port = port
        self.log_path = log_path
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=30):
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [GUNICORN, "--config", "gunicorn.conf.py", "newsroom.wsgi"],
            cwd=PROJECT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {self.log_path}")
            if status(self.url + "/healthz") == 200:
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer in {timeout}s")

    def workers(self):
        """Process ids of the worker processes."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def worker_rss_mb(self, field="VmRSS"):
        """
        Each worker's resident memory in MB; field="RssAnon" counts only its
        own memory, without the database file SQLite maps into memory.
        """
        sizes = []
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    sizes.append(round(int(line.split()[1]) / 1024, 1))
        return sizes

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()


def status(url, timeout=10):
    """The HTTP status of a GET, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None
