import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Article, Section, Source
from tests.test_plaintext import SEED, story

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_text", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return False, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


def test_seed_story_is_imported():
    ok, out, _err = run(SEED)
    assert ok, out
    article = Article.objects.get()
    assert article.headline == "Xi Jinping zu Staatsbesuch in Kasachstan"
    assert timezone.localdate(article.published_at) == datetime.date(2022, 9, 16)
    assert article.status == Article.Status.PUBLISHED
    assert article.source.short_name == "CRI"
    assert article.source.full_name == "China Radio International"
    assert article.language == "de"
    assert article.section.name == "Aktuelles"
    assert article.section.parent.name == "BRI-Nachrichten"
    assert article.section.parent.parent is None
    assert article.body.count("<p>") == 6
    assert "Nur-Sultan nach Samarkand." in article.body
    assert list(Article.objects.published()) == [article]


def test_reimport_updates_instead_of_duplicating():
    run(SEED)
    first = Article.objects.get()
    Article.objects.filter(pk=first.pk).update(body="<p>verändert</p>")
    ok, out, _err = run(SEED)
    assert ok
    assert "updated" in out
    assert Article.objects.count() == 1
    assert Section.objects.count() == 2
    assert Source.objects.count() == 1
    assert Article.objects.get().body.count("<p>") == 6


def test_sections_are_reused_across_stories(tmp_path):
    (tmp_path / "a.txt").write_bytes(story(headline="Erste Meldung"))
    (tmp_path / "b.txt").write_bytes(story(headline="Zweite Meldung"))
    ok, *_ = run(tmp_path)
    assert ok
    assert Article.objects.count() == 2
    assert Section.objects.count() == 2


def test_same_headline_on_another_day_is_another_story(tmp_path):
    (tmp_path / "a.txt").write_bytes(story())
    (tmp_path / "b.txt").write_bytes(
        story(dateline="Samstag, 17. September 2022 Quelle : CRI")
    )
    run(tmp_path)
    run(tmp_path)
    assert Article.objects.count() == 2
    assert set(Article.objects.values_list("slug", flat=True)) == {
        "ein-gipfel",
        "ein-gipfel-2022-09-17",
    }


def test_status_option_imports_drafts():
    ok, *_ = run(SEED, "--status", "draft")
    assert ok
    assert Article.objects.get().status == "draft"
    assert not Article.objects.published().exists()


def test_dry_run_writes_nothing():
    ok, out, _err = run(SEED, "--dry-run")
    assert ok
    assert "would import" in out
    assert "6 paragraphs)" in out
    assert not Article.objects.exists()
    assert not Section.objects.exists()


def test_dry_run_counts_a_single_paragraph_in_the_singular(tmp_path):
    (tmp_path / "one.txt").write_bytes(story(body="Nur ein Absatz."))
    ok, out, _err = run(tmp_path / "one.txt", "--dry-run")
    assert ok, out
    assert ", 1 paragraph)" in out


def test_an_impossible_date_is_quoted_as_written(tmp_path):
    (tmp_path / "bad.txt").write_bytes(
        story(dateline="Dienstag, 31. Februar 2022 Quelle : CRI")
    )
    _ok, _out, err = run(tmp_path)
    assert "impossible date in the dateline: 31. Februar 2022" in err


def test_bad_file_is_reported_and_the_others_imported(tmp_path):
    (tmp_path / "good.txt").write_bytes(story())
    (tmp_path / "bad.txt").write_bytes(
        story(dateline="Dienstag, 31. Februar 2022 Quelle : CRI", headline="Kaputt")
    )
    ok, out, err = run(tmp_path)
    assert not ok
    assert "bad.txt: error: line 7: impossible date" in err
    assert "1 file imported, 1 failed" in err
    assert list(Article.objects.values_list("headline", flat=True)) == ["Ein Gipfel"]


def test_failed_file_writes_nothing(tmp_path):
    (tmp_path / "bad.txt").write_bytes(story(body=""))
    ok, *_ = run(tmp_path)
    assert not ok
    assert not Article.objects.exists()
    assert not Section.objects.exists()
    assert not Source.objects.exists()


def test_weekday_mismatch_warns_and_imports(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(story(dateline="Montag, 16. September 2022 Quelle : CRI"))
    ok, _out, err = run(path)
    assert ok
    assert "line 7: warning: the weekday 'Montag' does not match 2022-09-16" in err
    assert Article.objects.count() == 1


def test_missing_path_is_an_error(tmp_path):
    ok, _out, err = run(tmp_path / "nowhere.txt")
    assert not ok
    assert "no such file or folder" in err


def test_html_in_a_plain_text_file_is_text_not_markup(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(story(body='<script>alert(1)</script> & <b onclick="x">fett</b>'))
    run(path)
    body = Article.objects.get().body
    assert "<script>" not in body
    assert "&lt;script&gt;" in body
    assert "<b " not in body


def test_load_demo_imports_only_into_an_empty_database(tmp_path):
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    count = Article.objects.count()
    assert count >= 1
    Article.objects.update(headline="Vom Redakteur geändert")
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO())
    assert "not loaded again" in out.getvalue()
    assert set(Article.objects.values_list("headline", flat=True)) == {
        "Vom Redakteur geändert"
    }
