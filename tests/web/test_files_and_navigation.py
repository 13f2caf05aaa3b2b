"""Uploaded documents are served safely; staff-only navigation stays hidden from the public."""

from __future__ import annotations

import pytest
from django.conf import settings


@pytest.fixture
def media(tmp_path, settings):
    from obserwatorium.cooperation.models import Agreement

    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "agreements").mkdir()
    (tmp_path / "agreements" / "porozumienie.pdf").write_bytes(b"%PDF-1.4 test")
    (tmp_path / "agreements" / "page.html").write_text("<script>alert(1)</script>")
    (tmp_path.parent / "secret.txt").write_text("outside")
    # A file is served for the published record that names it (web.files.OWNERS).
    for name in ("porozumienie.pdf", "page.html"):
        Agreement.objects.create(title=name, document=f"agreements/{name}")
    return tmp_path


@pytest.mark.django_db
def test_pdf_is_shown_inline_and_sandboxed(client, media):
    response = client.get("/media/agreements/porozumienie.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


@pytest.mark.django_db
def test_html_upload_is_only_downloaded(client, media):
    response = client.get("/media/agreements/page.html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["../secret.txt", "agreements/../../secret.txt", "agreements/missing.pdf"])
def test_nothing_outside_the_media_folder(client, media, path):
    assert client.get(f"/media/{path}").status_code == 404


@pytest.mark.django_db
def test_favicon_ico_points_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("web/favicon.svg")


@pytest.mark.django_db
def test_import_link_only_for_role_holders_and_admin_link_only_for_staff(client, django_user_model):
    from obserwatorium.access.models import Role, RoleAssignment
    from obserwatorium.territory.models import Unit

    assert "/import/" not in client.get("/").content.decode()
    staff = django_user_model.objects.create_user("office", password="x" * 16, is_staff=True)
    client.force_login(staff)
    page = client.get("/").content.decode()
    assert 'href="/admin/"' in page and 'href="/import/"' not in page  # staff without a role writes nothing
    RoleAssignment.objects.create(user=staff, role=Role.OFFICE_ADMIN)
    page = client.get("/").content.decode()
    assert 'href="/import/"' in page and 'href="/admin/"' in page
    editor = django_user_model.objects.create_user("editor", password="x" * 16)
    RoleAssignment.objects.create(user=editor, role=Role.MUNICIPAL_EDITOR,
                                  unit=Unit.objects.get(teryt="1206113"))
    client.force_login(editor)
    page = client.get("/").content.decode()
    assert 'href="/import/"' in page and 'href="/admin/"' not in page
    assert settings.MEDIA_URL == "/media/"


@pytest.mark.django_db
def test_the_policy_allows_no_inline_script_or_style(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self' 'unsafe-eval'"  # Vega compiles its expressions; nothing inline
    assert directives["style-src"] == "'self'"


@pytest.mark.django_db
def test_domain_colours_come_as_a_stylesheet_and_bad_colours_are_left_out(client):
    # A colour that bypassed the model validator (e.g. written by SQL) still never reaches the stylesheet.
    from obserwatorium.indicators.models import Domain

    Domain.objects.filter(code="economy").update(color="red;}a{")  # seven characters, as the column allows
    css = client.get("/domains.css")
    assert css["Content-Type"].startswith("text/css")
    text = css.content.decode()
    assert ".domain-mobility { --domain: #" in text
    assert "economy" not in text and "}a{" not in text


@pytest.mark.django_db
def test_a_domain_colour_must_be_a_hex_colour():
    from django.core.exceptions import ValidationError

    from obserwatorium.indicators.models import Domain

    domain = Domain.objects.get(code="economy")
    domain.color = "red;}a{"
    with pytest.raises(ValidationError) as refused:
        domain.full_clean()
    assert "color" in refused.value.message_dict
