"""The browsable tables: the registries' public records and the territorial units. Observations are declared in
`observations.py`. A new table is one `Table` in `TABLES`."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from obserwatorium.browse.observations import OBSERVATIONS
from obserwatorium.browse.tables import Column, Facet, Table, local
from obserwatorium.cooperation import selectors as cooperation
from obserwatorium.cooperation.dates import stated_date
from obserwatorium.cooperation.models import (
    AgreementKind,
    DocumentKind,
    DocumentStatus,
    Partner,
    PartnerKind,
    Programme,
    ProjectStatus,
)
from obserwatorium.events import selectors as events
from obserwatorium.events.models import Category
from obserwatorium.insights.bulk import PACKAGE_LICENCE
from obserwatorium.insights.datasets import Provenance
from obserwatorium.territory.models import GminaType, Level, Membership, Unit

DOMAIN = Facet("domain", _("Domain"), "domain__code", labels=("domain__name_pl", "domain__name_en"))
# A record of many gminy (a project's, a document's): the facet of its gminy, and the gminy read in name order.
GMINY = Facet("gmina", _("Gmina"), "units__teryt", labels=("units__name",), many=True)
UNITS_BY_NAME = (Prefetch("units", queryset=Unit.objects.order_by("name")),)


def _names(records) -> str:
    return "; ".join(str(record) for record in records)


def _domain(record) -> str:
    return record.domain.name if record.domain_id else ""


def _source(record) -> str:
    return record.source.title if record.source_id else ""


def _read_today(source: str = "") -> Provenance:
    """The observatory's own compilation, read today."""
    return Provenance(licence=PACKAGE_LICENCE, source=source, retrieved=timezone.localdate().isoformat(), sources=(),
                      demo_only=False)


def _registry_source(rows: QuerySet) -> Provenance:
    """The sources the rows name (each record's `source`), under the observatory's licence, read today."""
    found = (rows.order_by().filter(source__isnull=False).values_list("source__title", "source__url")
             .distinct())
    sources = tuple({"title": title, "path": url} for title, url in sorted(set(found)))
    return Provenance(licence=PACKAGE_LICENCE, source="; ".join(s["title"] for s in sources),
                      retrieved=timezone.localdate().isoformat(), sources=sources, demo_only=False)


def _public_partners(relation: str) -> Prefetch:
    # A party that is still a draft is not named (the registry publishes it, or not, on its own).
    return Prefetch(relation, queryset=Partner.objects.public().order_by("name"))


SOURCE = Column("source", _("Source"), _source, sort=("source__title",), wide=True)

PROJECTS = Table(
    "projects", _("Projects"), _("Projects of the cooperation with their programme, budget, dates and gminy."),
    public=lambda: cooperation.public_projects().prefetch_related(None),
    columns=(
        Column("name", _("Name"), lambda r: r.name, sort=("name",),
               link=lambda r: reverse("cooperation:project", args=[r.slug])),
        Column("title", _("Full title"), lambda r: r.title, sort=("title_pl",), wide=True),
        Column("programme", _("Programme"), lambda r: r.programme, sort=("programme",),
               show=lambda r: r.get_programme_display()),
        Column("status", _("Status"), lambda r: r.status, sort=("status",), show=lambda r: r.get_status_display()),
        Column("domain", _("Domain"), _domain, sort=("domain__order",)),
        Column("start", _("Start"), lambda r: r.start_date, sort=("start_date",),
               show=lambda r: stated_date(r.start_date, r.start_precision)),
        Column("start_precision", _("precision of the start"), lambda r: r.start_precision, listed=False),
        Column("end", _("End"), lambda r: r.end_date, sort=("end_date",),
               show=lambda r: stated_date(r.end_date, r.end_precision)),
        Column("end_precision", _("precision of the end"), lambda r: r.end_precision, listed=False),
        Column("budget", _("Budget"), lambda r: float(r.budget) if r.budget is not None else None, sort=("budget",),
               numeric=True),
        Column("eu_cofinancing", _("EU co-financing"),
               lambda r: float(r.eu_cofinancing) if r.eu_cofinancing is not None else None,
               sort=("eu_cofinancing",), numeric=True),
        Column("currency", _("Currency"), lambda r: r.currency),
        Column("lead", _("Lead partner"), lambda r: r.lead.name if r.lead_id and r.lead.published else "",
               sort=("lead__name",)),
        Column("gminy", _("Gminy covered"), lambda r: _names(r.units.all()), wide=True),
        SOURCE,
    ),
    facets=(DOMAIN, Facet("programme", _("Programme"), "programme", choices=dict(Programme.choices)),
            Facet("status", _("Status"), "status", choices=dict(ProjectStatus.choices)),
            GMINY,
            Facet("year", _("Year of start"), "start_date", year="date")),
    searched=("name", "title_pl", "title_en"), default_sort="name",
    related=("domain", "lead", "source"), prefetch=UNITS_BY_NAME,
    provenance=_registry_source,
)

PARTNERS = Table(
    "partners", _("Partners"), _("Partners of the association: institutions, companies, universities, "
                                 "organisations and the gminy of the functional area."),
    public=lambda: Partner.objects.public(),
    columns=(
        Column("name", _("Name"), lambda r: r.name, sort=("name",)),
        Column("kind", _("Kind"), lambda r: r.kind, sort=("kind",), show=lambda r: r.get_kind_display()),
        Column("gmina", _("Gmina"), lambda r: r.unit.name if r.unit_id else "", sort=("unit__name",)),
        Column("website", _("Website"), lambda r: r.website),
        Column("partner_since", _("Partner since"), lambda r: r.partner_since, sort=("partner_since",)),
        SOURCE,
    ),  # the contact person, e-mail and phone are never shown here
    facets=(Facet("kind", _("Kind"), "kind", choices=dict(PartnerKind.choices)),
            Facet("year", _("Partner since (year)"), "partner_since", year="date")),
    searched=("name",), default_sort="name", related=("unit", "source"), provenance=_registry_source,
)

AGREEMENTS = Table(
    "agreements", _("Agreements"), _("Agreements, declarations, contracts and letters of intent with their "
                                     "parties."),
    public=lambda: cooperation.public_agreements().prefetch_related(None),
    columns=(
        Column("title", _("Title"), lambda r: r.title, sort=("title",), wide=True,
               show=lambda r: r.title or f"{_('Agreement')}: {_names(r.parties.all())}"),
        Column("kind", _("Kind"), lambda r: r.kind, sort=("kind",), show=lambda r: r.get_kind_display()),
        Column("signed_on", _("Signed on"), lambda r: r.signed_on, sort=("signed_on",)),
        Column("parties", _("Parties"), lambda r: _names(r.parties.all()), wide=True),
        Column("domain", _("Domain"), _domain, sort=("domain__order",)),
        Column("document_url", _("Document address"), lambda r: r.document_url),
        SOURCE,
    ),
    facets=(Facet("kind", _("Kind"), "kind", choices=dict(AgreementKind.choices)), DOMAIN,
            Facet("year", _("Year signed"), "signed_on", year="date")),
    searched=("title", "scope"), default_sort="-signed_on", related=("domain", "source"),
    prefetch=(_public_partners("parties"),), provenance=_registry_source,
)

MEETINGS = Table(
    "meetings", _("Forum meetings"), _("Published meetings of the thematic forums."),
    public=lambda: cooperation.public_meetings().prefetch_related(None),
    columns=(
        Column("starts_at", _("Starts at"), lambda r: local(r.starts_at), sort=("starts_at",),
               link=lambda r: reverse("cooperation:meeting", args=[r.pk])),
        Column("forum", _("Forum"), lambda r: r.forum.name, sort=("forum__name_pl",)),
        Column("place", _("Place"), lambda r: r.place, sort=("place",)),
        Column("online", _("Online"), lambda r: r.online, sort=("online",)),
        Column("participants", _("Participants"), lambda r: r.participants, sort=("participants",), numeric=True),
        SOURCE,
    ),
    facets=(Facet("forum", _("Forum"), "forum__slug", labels=("forum__name_pl", "forum__name_en")),
            Facet("domain", _("Domain"), "forum__domain__code",
                  labels=("forum__domain__name_pl", "forum__domain__name_en")),
            Facet("year", _("Year"), "starts_at", year="date"),
            Facet("online", _("Online"), "online", boolean=True)),
    searched=("place", "forum__name_pl", "forum__name_en"), default_sort="-starts_at",
    related=("forum", "source"), provenance=_registry_source,
)

EVENTS = Table(
    "events", _("Culture events"), _("Published events of the member gminy's culture calendar."),
    public=lambda: events.public_events(),
    columns=(
        Column("starts_at", _("Starts at"), lambda r: local(r.starts_at), sort=("starts_at",),
               link=lambda r: reverse("events:event", args=[r.pk])),
        Column("title", _("Title"), lambda r: r.title, sort=("title",), wide=True),
        Column("category", _("Category"), lambda r: r.category, sort=("category",),
               show=lambda r: r.get_category_display()),
        Column("gmina", _("Gmina"), lambda r: r.unit.name, sort=("unit__name",)),
        Column("venue", _("Venue"), lambda r: r.venue, sort=("venue",)),
        Column("organiser", _("Organiser"), lambda r: r.organiser, sort=("organiser",)),
        Column("free_entry", _("Free entry"), lambda r: r.free_entry, sort=("free_entry",)),
        Column("url", _("Web page"), lambda r: r.url),
    ),
    facets=(Facet("category", _("Category"), "category", choices=dict(Category.choices)),
            Facet("gmina", _("Gmina"), "unit__teryt", labels=("unit__name",)),
            Facet("year", _("Year"), "starts_at", year="date"),
            Facet("free", _("Free entry"), "free_entry", boolean=True)),
    searched=("title", "venue", "organiser"), default_sort="starts_at", related=("unit",),
    provenance=lambda rows: _read_today(),
)

DOCUMENTS = Table(
    "documents", _("Documents"), _("Strategies, action plans, positions, declarations, publications, reports "
                                   "and surveys."),
    public=lambda: cooperation.public_documents().prefetch_related(None),
    columns=(
        Column("title", _("Title"), lambda r: r.title, sort=("title_pl",), wide=True,
               link=lambda r: reverse("cooperation:document", args=[r.slug])),
        Column("kind", _("Kind"), lambda r: r.kind, sort=("kind",), show=lambda r: r.get_kind_display()),
        Column("status", _("Status"), lambda r: r.status, sort=("status",), show=lambda r: r.get_status_display()),
        Column("year", _("Year"), lambda r: r.year, sort=("year",)),
        Column("adopted_on", _("Adopted or issued on"), lambda r: r.adopted_on, sort=("adopted_on",),
               show=lambda r: stated_date(r.adopted_on, r.adopted_precision)),
        Column("adopted_precision", _("precision of the adoption date"), lambda r: r.adopted_precision,
               listed=False),
        Column("domain", _("Domain"), _domain, sort=("domain__order",)),
        Column("gminy", _("Gminy that adopted or signed it"), lambda r: _names(r.units.all()), wide=True),
        Column("url", _("Address"), lambda r: r.url),
        SOURCE,
    ),
    facets=(Facet("kind", _("Kind"), "kind", choices=dict(DocumentKind.choices)),
            Facet("status", _("Status"), "status", choices=dict(DocumentStatus.choices)), DOMAIN,
            Facet("year", _("Year"), "year", year="number"),
            GMINY),
    searched=("title_pl", "title_en", "summary_pl", "summary_en"), default_sort="-year",
    related=("domain", "source"), prefetch=UNITS_BY_NAME,
    provenance=_registry_source,
)

UNITS = Table(
    "units", _("Territorial units"), _("The current gminy, powiaty and the metropolis, with TERYT codes and "
                                       "membership."),
    public=lambda: Unit.objects.current(),
    columns=(
        Column("unit", _("TERYT code"), lambda r: r.teryt, sort=("teryt",)),
        Column("name", _("Name"), lambda r: r.name, sort=("name",),
               link=lambda r: reverse("web:unit", args=[r.slug]) if r.level == Level.GMINA else ""),
        Column("level", _("Level"), lambda r: r.level, sort=("level",), show=lambda r: r.get_level_display()),
        Column("gmina_type", _("Gmina type"), lambda r: r.gmina_type, sort=("gmina_type",),
               show=lambda r: r.get_gmina_type_display()),
        Column("membership", _("Membership"), lambda r: r.membership, sort=("membership",),
               show=lambda r: r.get_membership_display()),
        Column("parent", _("Parent unit"), lambda r: r.parent.name if r.parent_id else "", sort=("parent__name",)),
        Column("area_km2", _("Area (km²)"), lambda r: r.area_km2, sort=("area_km2",), numeric=True),
    ),
    facets=(Facet("level", _("Level"), "level", choices=dict(Level.choices)),
            Facet("gmina_type", _("Gmina type"), "gmina_type", choices=dict(GminaType.choices)),
            Facet("membership", _("Membership"), "membership", choices=dict(Membership.choices)),
            Facet("powiat", _("Parent unit"), "parent__teryt", labels=("parent__name",))),
    searched=("name", "teryt"), default_sort="name", related=("parent",), mappable=True,
    provenance=lambda rows: _read_today(str(_("The observatory's register of territorial units (TERYT codes)"))),
)

TABLES: dict[str, Table] = {table.name: table for table in (
    OBSERVATIONS, PROJECTS, PARTNERS, AGREEMENTS, MEETINGS, EVENTS, DOCUMENTS, UNITS)}
