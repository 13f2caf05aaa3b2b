"""What every site form shows when it comes back with errors: the summary at the top linking to each field at
fault, and each error beside its field, tied to it by aria-describedby and aria-invalid (web/_field.html)."""

from __future__ import annotations

import lxml.html


def assert_errors_beside_their_fields(page: str, expected: set[str]) -> str:
    """Check the summary and each field it links to; `expected` ids must be among them. Returns its heading."""
    root = lxml.html.fromstring(page)
    summary = root.get_element_by_id("error-summary")
    assert summary.get("role") == "alert" and summary.get("autofocus") is not None
    order = {element: number for number, element in enumerate(root.iter())}
    linked = [link.get("href").removeprefix("#") for link in summary.iter("a")]
    assert expected <= set(linked), linked
    for field_id in linked:
        field = root.get_element_by_id(field_id)
        error = root.get_element_by_id(f"{field_id}_error")
        assert order[summary] < order[field], f"{field_id} comes before the summary"
        assert f"{field_id}_error" in field.get("aria-describedby", "").split(), field_id
        if field.tag != "fieldset":  # a group of choices: each box is invalid, the fieldset describes them
            assert field.get("aria-invalid") == "true", field_id
        wrapper = next(a for a in error.iterancestors() if "field" in a.get("class", "").split())
        assert wrapper is field or field in wrapper.iterdescendants(), f"{field_id}'s error is not beside it"
        assert error.text_content().strip(), field_id
    return summary.findtext("h2").strip()
