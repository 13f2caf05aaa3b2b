"""The upload page in a real browser, in Polish and English: labelled form, checked preview, problem table."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import signed_in

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.mark.served_only  # a signed-in request refreshes its session: the site writes, so no test transaction
@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_upload_form_is_labelled_in_both_languages(site_url, page, staff_session, language):
    signed_in(page, site_url, staff_session, language).goto(site_url + "/import/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    for field in ("file", "indicator", "flag", "source", "sheet"):
        assert page.locator(f'label[for="id_{field}"]').count() == 1
    assert page.locator("#id_file").get_attribute("aria-describedby")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"import-upload-{language}.png"), full_page=True)
    assert page.problems == []


@pytest.mark.served_only  # a signed-in request refreshes its session: the site writes, so no test transaction
@pytest.mark.parametrize("language", ["pl", "en"])
def test_a_file_with_problems_shows_the_report_table(site_url, page, staff_session, language, tmp_path):
    path = tmp_path / "zle.csv"
    path.write_text("teryt;wskaźnik;rok;wartość\n1261011;population;1990;abc\n1261099;population;1990;5\n",
                    encoding="utf-8")
    signed_in(page, site_url, staff_session, language).goto(site_url + "/import/")
    page.set_input_files("#id_file", str(path))
    page.locator("form.import-form button[type=submit]").click()
    table = page.locator("table.problems")
    assert table.locator("caption").count() == 1
    assert table.locator("tbody tr").count() == 2
    assert table.locator("tbody th[scope=row]").all_inner_texts() == ["2", "3"]
    assert page.locator("form.confirm").count() == 0
    page.screenshot(path=str(ARTIFACTS / f"import-problems-{language}.png"), full_page=True)
    assert page.problems == []


@pytest.mark.served_only  # the preview's dry run writes (and rolls back) in the site's own transaction
def test_a_good_file_shows_the_preview_and_a_confirm_button(site_url, page, staff_session, tmp_path):
    path = tmp_path / "RYNE_1944_CTAB.csv"
    path.write_bytes('"Kod";"Nazwa";"ogółem;1990;[osoba]";\n1261011;"Kraków (1)";"12 345";\n'.encode("cp1250"))
    signed_in(page, site_url, staff_session, "pl").goto(site_url + "/import/")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_indicator", "registered-unemployed")
    page.locator("form.import-form button[type=submit]").click()
    assert page.locator("table.changes tbody tr").count() == 1
    assert "12\u00a0345" in page.locator("table.changes").inner_text()
    assert page.locator("form.confirm button").count() == 1
    page.screenshot(path=str(ARTIFACTS / "import-preview-pl.png"), full_page=True)
    assert page.problems == []
