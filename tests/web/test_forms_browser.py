"""The site's forms on a phone: a form sent with errors opens on its summary, and every control is a 44 px target."""

from __future__ import annotations

import pytest

from tests.conftest import signed_in

pytestmark = pytest.mark.browser

# Controls lower than 44 px, by name: a checkbox or a radio button by its row, and its label takes a click 21 px
# above and below its middle.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'main input:not([type=hidden]), main select, main textarea, main button')].filter(e => e.offsetParent)
  .filter(e => {
    const choice = ['checkbox', 'radio'].includes(e.type);
    e.scrollIntoView({block: 'center'});  // elementFromPoint sees the viewport only
    const box = (choice ? e.closest('.check, .choice') : e).getBoundingClientRect();
    if (box.height < 43.5) return true;
    if (!choice) return false;
    const label = e.labels[0].getBoundingClientRect(), middle = label.top + label.height / 2;
    return ![middle - 21, middle + 21].every(y => e.labels[0].contains(document.elementFromPoint(label.left + 2, y)));
  }).map(e => e.name || e.id)"""


@pytest.mark.served_only  # a signed-in request refreshes its session: the site writes, so no test transaction
@pytest.mark.parametrize("path", ["/events/new/", "/collection/new/", "/import/",
                                  "/forums/komunikacja-i-promocja/meetings/new/"])
def test_a_form_sent_empty_opens_on_its_summary_and_every_control_is_a_touch_target(site_url, page, staff_session,
                                                                                      path):
    page.set_viewport_size({"width": 390, "height": 900})
    signed_in(page, site_url, staff_session, "pl").goto(site_url + path, wait_until="networkidle")
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.locator("#error-summary h2").inner_text().startswith("Popraw ")
    assert page.evaluate(SMALL_TARGETS) == []
