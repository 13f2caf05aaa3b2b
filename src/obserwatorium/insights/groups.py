"""Groups of units to aggregate and compare: the members, all gminy, by gmina type, by powiat, user-defined."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext as _

from obserwatorium.insights.models import PeerGroup
from obserwatorium.territory.models import GminaType, Level, Membership, Unit
from obserwatorium.vocabulary import is_group_key

MEMBERS = "members"
MAX_CUSTOM_UNITS = 100


class GroupUnit(NamedTuple):
    """A unit of a group: what the analytics use of it. Not the model: the groups of a national observatory hold
    2,477 gminy each, and a page builds every group to list them."""

    pk: int
    teryt: str
    name: str
    slug: str


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    units: tuple[GroupUnit, ...] = field(default=())

    @property
    def teryts(self) -> list[str]:
        return [u.teryt for u in self.units]


class _Gmina(NamedTuple):
    """A current gmina as a group is built from: its `GroupUnit` and what decides its implicit groups."""

    unit: GroupUnit
    member: bool
    gmina_type: str
    parent_id: int | None


def _gminy(teryts: Iterable[str] | None = None) -> list[_Gmina]:
    """The current gminy (of these TERYT codes), by TERYT code: rows, not model objects."""
    query = Unit.objects.current().gminy()
    if teryts is not None:
        query = query.filter(teryt__in=list(teryts))
    return [_Gmina(GroupUnit(pk, teryt, name, slug), membership == Membership.MEMBER, gmina_type, parent_id)
            for pk, teryt, name, slug, membership, gmina_type, parent_id in query.order_by("teryt").values_list(
                "pk", "teryt", "name", "slug", "membership", "gmina_type", "parent_id")]


def _members(gminy: Sequence[_Gmina]) -> Group:
    return Group(MEMBERS, members_label(), tuple(g.unit for g in gminy if g.member))


def members_group() -> Group:
    """The association's member gminy (always a group, empty before any unit is loaded)."""
    return _members(_gminy())


def members_label() -> str:
    """The name of `members_group`."""
    return _("Association members")


def available_groups() -> list[Group]:
    """Every group a user can pick, with its units: members first."""
    gminy = _gminy()
    members = [g for g in gminy if g.member]
    groups = [_members(gminy), Group("gminy", _("All gminy in the database"), tuple(g.unit for g in gminy))]
    for value, label in GminaType.choices:
        units = tuple(g.unit for g in members if g.gmina_type == value)
        if units:
            groups.append(Group(f"type:{value}", _("Members: %(type)s gminy") % {"type": label}, units))
    by_powiat: dict[int | None, list[GroupUnit]] = {}
    for gmina in members:  # once, not once per powiat (380 powiaty x 2,477 gminy at national scale)
        by_powiat.setdefault(gmina.parent_id, []).append(gmina.unit)
    powiaty = Unit.objects.current().filter(level=Level.POWIAT).order_by("teryt").values_list("pk", "teryt", "name")
    members_in = _("Members in %(powiat)s")  # translated once, not once per powiat (380 nationally)
    for pk, teryt, name in powiaty:
        units = tuple(by_powiat.get(pk, ()))
        if units:
            groups.append(Group(f"powiat:{teryt}", members_in % {"powiat": name}, units))
    peers = list(PeerGroup.objects.all())
    if peers:  # a peer group's units are read as they are stored (any unit, not only a current gmina)
        chosen: dict[int, list[GroupUnit]] = {}
        for peer_id, pk, teryt, name, slug in PeerGroup.units.through.objects.values_list(
                "peergroup_id", "unit_id", "unit__teryt", "unit__name", "unit__slug"):
            chosen.setdefault(peer_id, []).append(GroupUnit(pk, teryt, name, slug))
        for peer in peers:
            groups.append(Group(f"group:{peer.code}", peer.name,
                                tuple(sorted(chosen.get(peer.pk, ()), key=lambda u: u.teryt))))
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
        units = tuple(g.unit for g in _gminy(codes))
        if not units or len(units) != len(codes):
            return None
        return Group("custom", _("Chosen units"), units)
    return next((group for group in (available_groups() if groups is None else groups) if group.key == key), None)
