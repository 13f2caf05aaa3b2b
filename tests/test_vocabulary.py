"""The vocabulary: each term read alike by Python, pydantic (the API) and Django (the models and forms)."""

from __future__ import annotations

from typing import Annotated

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import StringConstraints, TypeAdapter
from pydantic import ValidationError as PydanticError

from obserwatorium import vocabulary
from obserwatorium.api.params import check_period, indicator_codes, teryt_codes
from obserwatorium.indicators.models import Domain, Indicator, Observation
from obserwatorium.indicators.periods import period_bounds
from obserwatorium.insights.models import PeerGroup
from obserwatorium.territory.models import Unit
from obserwatorium.vocabulary import (
    COLOUR,
    GROUP_KEY,
    INDICATOR_CODE,
    MAX_YEAR,
    MIN_YEAR,
    PERIOD,
    TERYT,
    YEAR,
    fold,
    parse_period,
)

TERMS = [TERYT, INDICATOR_CODE, vocabulary.DOMAIN_CODE, vocabulary.INDEX_CODE, GROUP_KEY, YEAR, PERIOD, COLOUR,
         vocabulary.list_term(TERYT, 5)]
# Characters near every term's alphabet, so that random texts often come close to a valid code.
NEAR = st.text(st.sampled_from("0123456789AZaz_-#:Qq,fF\n ą١"), max_size=20)


def valid(term: vocabulary.Term) -> st.SearchStrategy[str]:
    return st.from_regex(term.regex, fullmatch=True).filter(lambda text: len(text) <= term.max_length)


def _django_accepts(field, value: str) -> bool:
    try:
        field.clean(value, None)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("term", TERMS, ids=lambda term: term.name)
@settings(max_examples=300)
@given(data=st.data())
def test_pydantic_and_django_read_each_term_as_python_does(term, data):
    value = data.draw(st.one_of(valid(term), NEAR, st.text(max_size=20)))
    adapter = TypeAdapter(Annotated[str, StringConstraints(pattern=term.pattern, max_length=term.max_length)])
    try:
        adapter.validate_python(value)
        pydantic_accepts = True
    except PydanticError:
        pydantic_accepts = False
    try:
        RegexValidator(term.validator_pattern)(value)
        django_accepts = len(value) <= term.max_length
    except ValidationError:
        django_accepts = False
    assert pydantic_accepts == django_accepts == term.matches(value)


@settings(max_examples=300)
@given(st.one_of(valid(TERYT), NEAR))
def test_the_unit_model_and_the_api_accept_the_same_teryt_codes(value):
    model = _django_accepts(Unit._meta.get_field("teryt"), value)
    try:
        api = teryt_codes(value) == [value]
    except ValueError:
        api = False
    assert model == api == TERYT.matches(value)


@settings(max_examples=300)
@given(st.one_of(valid(INDICATOR_CODE), NEAR, st.text(max_size=90)))
def test_the_indicator_model_and_the_api_accept_the_same_codes(value):
    model = _django_accepts(Indicator._meta.get_field("code"), value)
    try:
        api = indicator_codes(value) == [value]
    except ValueError:
        api = False
    assert model == api == INDICATOR_CODE.matches(value)


def test_model_lengths_are_the_vocabulary_lengths():
    assert Unit._meta.get_field("teryt").max_length == TERYT.max_length
    assert Indicator._meta.get_field("code").max_length == INDICATOR_CODE.max_length
    assert Domain._meta.get_field("code").max_length == vocabulary.DOMAIN_CODE.max_length
    assert Domain._meta.get_field("color").max_length == COLOUR.max_length
    assert len("group:") + PeerGroup._meta.get_field("code").max_length == GROUP_KEY.max_length


@settings(max_examples=300)
@given(valid(PERIOD))
def test_every_valid_period_round_trips(period):
    year, first, last = parse_period(period)
    written = str(year) if (first, last) == (1, 12) else (
        f"{year}-Q{last // 3}" if last - first == 2 else f"{year}-{first:02d}")
    assert written == period and check_period(period) == period and vocabulary.is_period(period)
    start, end = period_bounds(period)
    assert start <= end and MIN_YEAR <= start.year == end.year <= MAX_YEAR


@settings(max_examples=300)
@given(NEAR)
def test_a_period_is_parsed_exactly_when_it_is_valid(text):
    try:
        parse_period(text)
        parsed = True
    except ValueError:
        parsed = False
    assert parsed == PERIOD.matches(text)


def test_the_year_expression_is_the_year_range():
    assert [year for year in range(10_000) if YEAR.matches(f"{year:04d}")] == list(range(MIN_YEAR, MAX_YEAR + 1))
    assert PERIOD.matches(f"{MAX_YEAR}-12") and not PERIOD.matches(f"{MAX_YEAR + 1}") and not PERIOD.matches("1899")


def test_the_preset_units_all_have_vocabulary_codes():
    from tests.indicators.conftest import PRESET
    teryts = [line.split(",", 1)[0] for line in (PRESET / "units.csv").read_text(encoding="utf-8").splitlines()[1:]]
    assert {len(t) for t in teryts} == {2, 4, 7} and "MK" in teryts
    assert all(vocabulary.is_teryt(teryt) for teryt in teryts)


@settings(max_examples=1000)
@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@settings(max_examples=300)
@given(st.text(st.sampled_from("aąbcćdeęfghijklłmnńoóprsśtuwyzźżAĄCĆEĘŁŃÓŚŹŻ \u00ad\u200b\ufeff"), max_size=30))
def test_fold_ignores_case_diacritics_and_invisible_marks(text):
    folded = fold(text)
    assert folded == fold(text.upper()) == fold(text.lower())
    assert folded.isascii() and fold(text.replace("\u00ad", "")) == folded


def test_group_keys():
    assert all(vocabulary.is_group_key(key) for key in
               ["members", "gminy", "custom", "type:urban-rural", "powiat:1206", "group:east_side"])
    assert not any(vocabulary.is_group_key(key) for key in ["powiat:12", "group:", "type:Urban", "members\n"])


@pytest.mark.django_db
def test_a_colour_with_a_trailing_newline_is_refused_by_the_model():
    # `$` in Python matches before a final newline: the old validator let "#abc\n" in, the stylesheet then
    # dropped the domain's colour.
    domain = Domain(code="colour-check", name_pl="Kolor", name_en="Colour", color="#abc\n")
    with pytest.raises(ValidationError, match="RGB"):
        domain.full_clean()


def test_a_unit_code_outside_the_vocabulary_is_refused_by_the_model():
    with pytest.raises(ValidationError):
        Unit._meta.get_field("teryt").clean("krakow", None)
    with pytest.raises(ValidationError):
        Observation._meta.get_field("period").clean("2020-13", None)
