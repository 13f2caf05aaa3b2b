"""A derived.yaml entry becomes a formula, or is refused with its code named."""

from __future__ import annotations

import pytest

from obserwatorium.insights.preset import formula_of

pytestmark = pytest.mark.django_db  # the package's session fixture loads the preset


def test_a_share_without_a_denominator_is_refused_naming_the_entry():
    with pytest.raises(ValueError, match="'women-share'.*needs a denominator"):
        formula_of({"code": "women-share", "formula": "share", "numerator": "women"})


def test_a_per_1000_rate_implies_the_population():
    formula = formula_of({"code": "x-per-1000", "formula": "per_1000", "numerator": "x"})
    assert (formula.inputs, formula.scale) == (("x", "population"), 1000.0)
