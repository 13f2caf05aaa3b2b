"""Groups of units to aggregate and compare: the members, all gminy, by gmina type, by powiat, user-defined."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from obserwatorium.insights.models import PeerGroup
from obserwatorium.territory.models import GminaType, Level, Unit
from obserwatorium.vocabulary import is_group_key

MEMBERS = "members"
MAX_CUSTOM_UNITS = 100


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    units: tuple[Unit, ...] = field(default=())

    @property
    def teryts(self) -> list[str]:
        return [u.teryt for u in self.units]


def _gminy():
    return Unit.objects.current().gminy().select_related("parent").order_by("teryt")


def _members(gminy: Sequence[Unit]) -> Group:
    return Group(MEMBERS, members_label(), tuple(u for u in gminy if u.is_member))


def members_group() -> Group:
    """The association's member gminy (always a group, empty before any unit is loaded)."""
    return _members(list(_gminy()))


def members_label() -> str:
    """The name of `members_group`."""
    return _("Association members")


def available_groups() -> list[Group]:
    """Every group a user can pick, with its units: members first."""
    gminy = list(_gminy())
    members_of = _members(gminy)
    members = members_of.units
    groups = [members_of, Group("gminy", _("All gminy in the database"), tuple(gminy))]
    for value, label in GminaType.choices:
        units = tuple(u for u in members if u.gmina_type == value)
        if units:
            groups.append(Group(f"type:{value}", _("Members: %(type)s gminy") % {"type": label}, units))
    by_powiat: dict[int | None, list[Unit]] = {}
    for unit in members:  # once, not once per powiat (380 powiaty x 2,477 gminy at national scale)
        by_powiat.setdefault(unit.parent_id, []).append(unit)
    powiaty = Unit.objects.current().filter(level=Level.POWIAT).order_by("teryt")
    for powiat in powiaty:
        units = tuple(by_powiat.get(powiat.pk, ()))
        if units:
            groups.append(Group(f"powiat:{powiat.teryt}", _("Members in %(powiat)s") % {"powiat": powiat.name}, units))
    for peer in PeerGroup.objects.prefetch_related("units"):
        groups.append(Group(f"group:{peer.code}", peer.name, tuple(sorted(peer.units.all(), key=lambda u: u.teryt))))
    return groups


def resolve_group(key: str | None, custom: Sequence[str] = (), groups: Sequence[Group] | None = None
                  ) -> Group | None:
    """The group named by `key` (members when empty), or a custom group of the given TERYT codes; None if unknown.

    `groups`: the `available_groups` already built for the request (else they are built here)."""
    key = key or MEMBERS
    if not is_group_key(key):
        return None
    if key == "custom" or custom:
        codes = sorted(set(custom))[:MAX_CUSTOM_UNITS]
        units = tuple(_gminy().filter(teryt__in=codes))
        if not units or len(units) != len(codes):
            return None
        return Group("custom", _("Chosen units"), units)
    return next((group for group in (available_groups() if groups is None else groups) if group.key == key), None)
