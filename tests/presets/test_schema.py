"""Preset files are checked against their schema before anything is written: every mistake names the file, the
line and the key, and the database is left as it was."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from obserwatorium.cooperation.models import Forum, Source
from obserwatorium.history.models import ChangeRecord
from obserwatorium.indicators.models import Domain, Indicator, Observation
from obserwatorium.presets.files import PresetError, preset_dir
from obserwatorium.presets.pipeline import STEPS, load_preset, read_steps
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db

KRAKOW = preset_dir("krakow")
CATALOGUE_STEP = tuple(step for step in STEPS if step.name == "catalogue")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the Kraków preset, one unit renamed: a valid change the first step would write."""
    copy = tmp_path / "proba"
    shutil.copytree(KRAKOW, copy)
    units = copy / "units.csv"
    units.write_text(units.read_text(encoding="utf-8").replace(",Skawina,", ",Skawina-zmieniona,"), encoding="utf-8")
    return copy


def _snapshot() -> tuple:
    return (list(Unit.objects.order_by("pk").values_list("name", flat=True)), Domain.objects.count(),
            Indicator.objects.count(), Observation.objects.count(), Source.objects.count(), Forum.objects.count(),
            ChangeRecord.objects.count())


def _replace_line(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1], lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def _refused(folder: Path) -> str:
    before = _snapshot()
    with translation.override("en"), pytest.raises(PresetError) as caught:
        load_preset(path=folder)
    assert _snapshot() == before
    assert not Unit.objects.filter(name="Skawina-zmieniona").exists()
    return str(caught.value)


def test_a_misspelt_key_names_file_line_key_and_the_right_spelling(folder):
    economy = folder / "catalogue" / "economy.yaml"
    line = _line_of(economy, "  unit_pl:")
    _replace_line(economy, line, "unit_pl:", "uint_pl:")
    message = _refused(folder)
    assert f"catalogue/economy.yaml, line {line}: unknown key 'uint_pl' (did you mean 'unit_pl'?)" in message


def test_an_unknown_key_without_a_close_spelling(folder):
    line = _line_of(folder / "strategy.yaml", "end_year:")
    _replace_line(folder / "strategy.yaml", line, "end_year:", "colour_scheme: x\n  end_year:")
    assert f"strategy.yaml, line {line}: unknown key 'colour_scheme'" in _refused(folder)
    assert "did you mean" not in _refused(folder)


def test_a_missing_required_key_names_the_entry_it_is_missing_from(folder):
    peers = folder / "peer_groups.yaml"
    line = _line_of(peers, "name_en:")
    _replace_line(peers, line, "name_en:", "# name_en:")
    entry_line = _line_of(peers, "code:")
    assert f"peer_groups.yaml, line {entry_line}: missing required key 'name_en'" in _refused(folder)


def test_a_value_of_the_wrong_type(folder):
    targets = folder / "targets.yaml"
    line = _line_of(targets, "target_year: 2030")
    _replace_line(targets, line, "target_year: 2030", "target_year: soon")
    assert f"targets.yaml, line {line}: 'target_year' should be a whole number" in _refused(folder)


def test_a_choice_that_does_not_exist(folder):
    mobility = folder / "catalogue" / "mobility.yaml"
    line = _line_of(mobility, "  polarity: higher")
    _replace_line(mobility, line, "polarity: higher", "polarity: upwards")
    message = _refused(folder)
    assert f"catalogue/mobility.yaml, line {line}: 'polarity' is not valid" in message
    assert "'upwards' is none of higher, lower, neutral" in message


def test_a_csv_column_misspelt_and_a_csv_value_of_the_wrong_type(folder):
    _replace_line(folder / "population.csv", 1, "population", "populacja")
    units = folder / "units.csv"
    line = _line_of(units, "Skawina-zmieniona")
    cells = units.read_text(encoding="utf-8").splitlines()[line - 1].split(",")
    _replace_line(units, line, ",".join(cells[9:11]), "north,west")
    message = _refused(folder)
    assert "population.csv, line 1: unknown key 'populacja'" in message
    assert "population.csv, line 1: missing required key 'population'" in message
    assert f"units.csv, line {line}: 'grid_row' should be a whole number" in message


def test_broken_yaml_and_a_missing_file(folder):
    (folder / "domains.yaml").unlink()
    cooperation = folder / "cooperation.yaml"
    cooperation.write_text(cooperation.read_text(encoding="utf-8") + "\nforums: [unclosed\n", encoding="utf-8")
    message = _refused(folder)
    assert "domains.yaml: no such file" in message
    assert "cooperation.yaml, line" in message and "not valid YAML" in message


def test_the_message_is_polish_in_polish(folder):
    economy = folder / "catalogue" / "economy.yaml"
    line = _line_of(economy, "  unit_pl:")
    _replace_line(economy, line, "unit_pl:", "uint_pl:")
    with translation.override("pl"), pytest.raises(PresetError) as caught:
        load_preset(path=folder)
    assert f"catalogue/economy.yaml, wiersz {line}: nieznany klucz 'uint_pl' (czy chodziło o 'unit_pl'?)" in str(
        caught.value)


ENTRIES = yaml.safe_load((KRAKOW / "catalogue" / "mobility.yaml").read_text(encoding="utf-8"))["indicators"]


@given(index=st.integers(0, len(ENTRIES) - 1), data=st.data())
def test_any_misspelt_key_of_any_entry_is_reported_at_its_own_line(index, data):
    """Property: a key of any catalogue entry, misspelt, is named with the line it stands on."""
    entry = dict(ENTRIES[index])
    key = data.draw(st.sampled_from(sorted(entry)))
    misspelt = key + "_x"
    entries = [dict(e) for e in ENTRIES]
    entries[index] = {(misspelt if k == key else k): v for k, v in entry.items()}
    with tempfile.TemporaryDirectory() as temporary:
        path = Path(temporary) / "catalogue" / "mobility.yaml"
        path.parent.mkdir()
        path.write_text(yaml.safe_dump({"indicators": entries}, sort_keys=False, allow_unicode=True),
                        encoding="utf-8")
        line = _line_of(path, f"{misspelt}:")
        with translation.override("en"), pytest.raises(PresetError) as caught:
            read_steps(path=Path(temporary), steps=CATALOGUE_STEP)
    assert f"line {line}: unknown key '{misspelt}'" in str(caught.value)
