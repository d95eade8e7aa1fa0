"""The production path: settings read from the environment, gunicorn's config, 503s."""

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

from django.db import OperationalError
from django.test import RequestFactory

from newsroom.views import server_error

PROJECT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-long-random-test-key-" + "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
}


def run_python(env, *args):
    """Run Python in the project with only `env`'s Django variables set."""
    full = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        **env,
    }
    result = subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT,
        env=full,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout, result.stderr


def settings_under(env, *names):
    """Values of settings as a fresh process reads them from `env`."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, "
        "default=str))"
    )
    return run_python(env, "-c", code)


def test_deployment_checks_pass_with_production_settings():
    returncode, out, err = run_python(
        PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert returncode == 0, out + err


def test_media_go_to_the_bucket_when_the_environment_says_s3():
    returncode, out, err = settings_under(
        {
            **PRODUCTION,
            "DJANGO_MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": "newsroom-media",
            "AWS_S3_CUSTOM_DOMAIN": "media.example.org",
        },
        "STORAGES",
        "SECURE_CSP",
    )
    assert returncode == 0, err
    values = json.loads(out)
    default = values["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "newsroom-media"
    assert "https://media.example.org" in values["SECURE_CSP"]["img-src"]
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_s3_media_without_a_bucket_refuses_to_start():
    returncode, _out, err = settings_under(
        {**PRODUCTION, "DJANGO_MEDIA_STORAGE": "s3"}, "STORAGES"
    )
    assert returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME must be set" in err


def test_gunicorn_reads_its_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9000")
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", "")
    config = runpy.run_path(str(PROJECT / "gunicorn.conf.py"))
    assert config["workers"] == 3
    assert config["bind"] == "0.0.0.0:9000"
    assert config["accesslog"] is None
    assert config["timeout"] == 30


def test_a_database_error_outside_the_view_is_a_503_too():
    request = RequestFactory().get("/de/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert "Nachrichtenverbund" in response.content.decode()


def test_any_other_error_stays_a_500(db):
    request = RequestFactory().get("/de/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500


def test_a_503_page_that_cannot_render_falls_back_to_plain_text(monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("the template asked the database")

    monkeypatch.setattr("newsroom.middleware.render_to_string", broken)
    request = RequestFactory().get("/de/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert "try again" in response.content.decode()


def test_production_settings_harden_transport_and_cookies():
    returncode, out, err = settings_under(
        PRODUCTION,
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "DEBUG",
    )
    assert returncode == 0, err
    assert json.loads(out) == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "DEBUG": False,
    }
