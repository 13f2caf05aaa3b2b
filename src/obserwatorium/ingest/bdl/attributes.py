"""What each BDL value attribute (attrId) means and how the sync stores such a value (attributes.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from obserwatorium.indicators.models import Flag

ATTRIBUTES_FILE = Path(__file__).with_name("attributes.yaml")
SKIP = "skip"
TREATMENTS = {Flag.FINAL, Flag.PROVISIONAL, Flag.ESTIMATED, Flag.CONFIDENTIAL, SKIP}


@dataclass(frozen=True)
class Attribute:
    id: int
    symbol: str
    treatment: str
    meaning_pl: str
    meaning_en: str

    @property
    def stores_value(self) -> bool:
        return self.treatment not in (SKIP, Flag.CONFIDENTIAL)


@cache
def attributes() -> dict[int, Attribute]:
    """The attribute table, keyed by attrId."""
    with ATTRIBUTES_FILE.open(encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)["attributes"]
    table = {int(e["id"]): Attribute(id=int(e["id"]), symbol=e["symbol"], treatment=e["treatment"],
                                     meaning_pl=e["meaning_pl"], meaning_en=e["meaning_en"]) for e in entries}
    unknown = {a.treatment for a in table.values()} - TREATMENTS
    if unknown:
        raise ValueError(f"{ATTRIBUTES_FILE.name}: unknown treatment {sorted(unknown)}")
    return table
