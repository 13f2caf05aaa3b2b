"""The catalogue, split into one file per domain, loads exactly as the single file it was (#13)."""

from __future__ import annotations

import hashlib
import json

import pytest
import yaml

from obserwatorium.indicators.models import Indicator
from obserwatorium.presets.files import preset_dir

pytestmark = pytest.mark.django_db

# Counted and hashed from the single indicators.yaml before the split: (domain:code) in order, and every entry.
COUNTS = {"context": 16, "smart-governance": 14, "environment-space": 12, "mobility": 9, "economy": 10,
          "leisure-culture": 11, "education": 9, "social-services": 10}
CODES_SHA256 = "cd790ffac80bf451ebafc858ccf1a6f436b179ac850110949ffd74830cefb075"
ENTRIES_SHA256 = "c473b6f86271b674055e0d3d1c5b1a266503fd91796d3ab74a2429fe045d5d93"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_every_domain_has_its_own_file_holding_only_its_indicators():
    folder = preset_dir("krakow") / "catalogue"
    found = {}
    for path in folder.glob("*.yaml"):
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))["indicators"]
        assert {entry["domain"] for entry in entries} == {path.stem}
        found[path.stem] = len(entries)
    assert found == COUNTS


def test_the_loaded_catalogue_is_the_one_of_the_single_file():
    catalogue = Indicator.objects.filter(derivation__isnull=True).order_by("order")
    assert _digest("\n".join(f"{i.domain.code}:{i.code}" for i in catalogue.select_related("domain"))) == CODES_SHA256
    assert [i.order for i in catalogue] == list(range(sum(COUNTS.values())))
    folder = preset_dir("krakow") / "catalogue"
    entries = [entry for domain in COUNTS
               for entry in yaml.safe_load((folder / f"{domain}.yaml").read_text(encoding="utf-8"))["indicators"]]
    assert _digest(json.dumps(entries, sort_keys=True, default=str)) == ENTRIES_SHA256
