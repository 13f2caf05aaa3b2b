"""The news pages in Debian chromium: WCAG 2.1 A and AA (axe-core, offline) on the list, an article in each
language and the authors' form, in Polish and English, and reflow at 320 CSS pixels."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile

from tests.conftest import signed_in
from tests.web.test_accessibility_browser import WCAG_21_AA, WIDEST

pytestmark = [pytest.mark.browser, pytest.mark.served_only]


def _png(width: int = 64, height: int = 36) -> bytes:
    """A small PNG in the site's blue (no imaging library needed)."""
    rows = b"".join(b"\x00" + bytes((0x1f, 0x4e, 0x8c)) * width for _ in range(height))
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def published_news(django_db_setup, django_db_blocker):
    """Two committed published articles (Polish with an image and an attachment, English), so that the served
    site shows them; removed with their history and files afterwards."""
    from django.utils import timezone

    from obserwatorium.cooperation.models import Forum
    from obserwatorium.history.models import ChangeRecord
    from obserwatorium.indicators.models import Domain
    from obserwatorium.news.models import Article, ArticleAttachment

    with django_db_blocker.unblock():
        domain = Domain.objects.filter(strategic=True).order_by("order").first()
        forum = Forum.objects.public().first()
        now = timezone.now()
        polish = Article(slug="przeglad-browser", title="Nowe ścieżki rowerowe w gminach Metropolii",
                         lead="Gminy Metropolii uzgodniły wspólny przebieg tras rowerowych.", domain=domain,
                         forum=forum, status="published", publish_at=now - timedelta(hours=2), image_alt="Mapa tras",
                         body="## Co dalej\n\nTrasy połączą **sześć gmin**. Zobacz [plan](https://example.org/plan)"
                              " i [listę forów](/forums/).\n\n- etap 1: 2025\n- etap 2: 2026\n\n"
                              "<script>alert('x')</script>")
        polish.image.save("trasy.png", ContentFile(_png()), save=False)
        polish.save()
        attachment = ArticleAttachment(article=polish, title="Mapa tras (PDF)")
        attachment.file.save("mapa.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        english = Article.objects.create(
            slug="cycle-paths-browser", title="Cycle paths across the metropolis", language="en", domain=domain,
            lead="The gminy agreed on common cycle routes.", body="Read more about the *plan*.", status="published",
            publish_at=now - timedelta(hours=1))
    yield {"pl": polish.slug, "en": english.slug}
    with django_db_blocker.unblock():
        articles = Article.objects.filter(pk__in=[polish.pk, english.pk])
        for record in articles:
            for item in record.attachments.all():
                item.file.delete(save=False)
            if record.image:
                record.image.delete(save=False)
        ArticleAttachment.objects.filter(article__in=articles).delete()
        articles.update(status="draft", published=False)
        articles.delete()
        ChangeRecord.objects.filter(object_repr__in=[polish.title, english.title, "Mapa tras (PDF)"]).delete()


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def _violations(axe: Axe, page) -> list[str]:
    found = axe.run(page, options=WCAG_21_AA).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in found]


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("which", ["list", "pl", "en"])
def test_news_pages_meet_wcag_21_aa(site_url, page, axe, published_news, which, language):
    path = "/news/" if which == "list" else f"/news/{published_news[which]}/"
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site_url}])
    response = page.goto(site_url + path, wait_until="networkidle")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    if which != "list":
        assert page.locator("article").get_attribute("lang") == which
    assert _violations(axe, page) == []
    assert page.problems == []


def test_the_article_shows_its_image_and_no_script_ran(site_url, page, published_news):
    page.goto(site_url + f"/news/{published_news['pl']}/", wait_until="networkidle")
    image = page.locator("article figure img")
    assert image.get_attribute("alt") == "Mapa tras"
    assert image.evaluate("img => img.complete && img.naturalWidth") == 64
    assert page.locator("article script").count() == 0
    assert page.locator("a[href='https://example.org/plan']").get_attribute("rel") == "noopener nofollow"
    assert page.problems == []


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_authors_form_meets_wcag_21_aa(site_url, page, axe, staff_session, language):
    response = signed_in(page, site_url, staff_session, language).goto(site_url + "/news/new/",
                                                                       wait_until="networkidle")
    assert response.status == 200 and "/sign-in" not in page.url
    assert _violations(axe, page) == []
    # Sent empty: the errors are summarised on top, each linked to its field, and still pass the checks.
    page.click("form.record-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".error-summary a[href='#id_title']").count() == 1
    assert _violations(axe, page) == []
    assert page.problems == [] or all("400" in problem for problem in page.problems)


@pytest.mark.parametrize("which", ["list", "pl"])
def test_news_pages_reflow_at_320_css_pixels(site_url, page, published_news, which):
    page.set_viewport_size({"width": 320, "height": 640})
    path = "/news/" if which == "list" else f"/news/{published_news[which]}/"
    page.goto(site_url + path, wait_until="networkidle")
    width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, "
                                    "document.documentElement.clientWidth]")
    assert width <= viewport, page.evaluate(WIDEST)
