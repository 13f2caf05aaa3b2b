"""What is searched: each kind names its model, the query of its public records and how one record reads as an
entry (titles and a short summary in both languages, its page, the text searched). A new kind is one
`Provider` in `PROVIDERS`."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from obserwatorium.cooperation import selectors as cooperation
from obserwatorium.cooperation.models import AgendaItem, Decision, Document, Forum, Meeting, Project
from obserwatorium.events import selectors as events
from obserwatorium.events.models import Event
from obserwatorium.indicators.models import Domain, Indicator
from obserwatorium.news.models import Article, Status
from obserwatorium.territory.models import Unit

SUMMARY_LENGTH = 200


@dataclass(frozen=True)
class Text:
    """One record as the index holds it."""

    title_pl: str
    title_en: str
    url: str
    searched: Iterable[str]  # every text a search may match (both languages, codes)
    summary_pl: str = ""
    summary_en: str = ""
    visible_from: datetime.datetime | None = None  # found only from then (a news article due later)


@dataclass(frozen=True)
class Provider:
    kind: str
    label: Any  # the kind's name in the interface (plural)
    model: type[models.Model]
    public: Callable[[], models.QuerySet]  # the public records, with what `text` reads
    text: Callable[[Any], Text]
    follows: tuple[type[models.Model], ...] = ()  # models whose change may change this kind's public records
    # Records that are part of one record of this kind and whose text its entry holds: (model, the attribute naming
    # that record's id); a part's save or deletion refreshes that one entry, not the whole kind.
    parts: tuple[tuple[type[models.Model], str], ...] = ()


def _short(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SUMMARY_LENGTH else text[:SUMMARY_LENGTH - 1].rstrip() + "…"


def _indicator(item: Indicator) -> Text:
    return Text(item.name_pl, item.name_en, reverse("web:indicator", args=[item.code]),
                [item.code, item.name_pl, item.name_en, item.definition_pl, item.definition_en,
                 item.domain.name_pl, item.domain.name_en],
                _short(item.definition_pl), _short(item.definition_en))


def _unit(item: Unit) -> Text:
    with override("pl"):
        kind_pl = str(item.get_gmina_type_display() or "")
    with override("en"):
        kind_en = str(item.get_gmina_type_display() or "")
    parent = item.parent.name if item.parent_id and item.parent else ""
    return Text(item.name, item.name, reverse("web:unit", args=[item.slug]), [item.name, item.teryt, parent],
                f"{kind_pl}, {parent}".strip(", "), f"{kind_en}, {parent}".strip(", "))


def _domain(item: Domain) -> Text:
    return Text(item.name_pl, item.name_en, reverse("web:domain", args=[item.code]),
                [item.code, item.name_pl, item.name_en, item.description_pl, item.description_en],
                _short(item.description_pl), _short(item.description_en))


def _project(item: Project) -> Text:
    return Text(item.name, item.name, reverse("cooperation:project", args=[item.slug]),
                [item.name, item.title_pl, item.title_en, item.description_pl, item.description_en],
                _short(item.title_pl or item.description_pl), _short(item.title_en or item.description_en))


def _forum(item: Forum) -> Text:
    return Text(item.name_pl, item.name_en, reverse("cooperation:forum", args=[item.slug]),
                [item.name_pl, item.name_en, item.description_pl, item.description_en, item.coordinator],
                _short(item.description_pl), _short(item.description_en))


def _when(moment) -> tuple[str, str]:
    local = localtime(moment)
    with override("pl"):
        pl = date_format(local, "DATE_FORMAT")
    with override("en"):
        en = date_format(local, "DATE_FORMAT")
    return pl, en


def _meeting(item: Meeting) -> Text:
    pl, en = _when(item.starts_at)
    forum = item.forum
    return Text(f"{forum.name_pl} — {pl}", f"{forum.name_en or forum.name_pl} — {en}",
                reverse("cooperation:meeting", args=[item.pk]),
                [forum.name_pl, forum.name_en, item.place, *(a.title for a in item.agenda_items.all()), item.minutes,
                 *(d.text for d in item.decisions.all())],
                _short(item.place), _short(item.place))


def _document(item: Document) -> Text:
    return Text(item.title_pl, item.title_en, reverse("cooperation:document", args=[item.slug]),
                [item.title_pl, item.title_en, item.summary_pl, item.summary_en],
                _short(item.summary_pl), _short(item.summary_en))


def _event(item: Event) -> Text:
    pl, en = _when(item.starts_at)
    return Text(item.title, item.title, reverse("events:event", args=[item.pk]),
                [item.title, item.description, item.venue, item.organiser, item.unit.name],
                f"{pl}, {item.unit.name}", f"{en}, {item.unit.name}")


def _article(item: Article) -> Text:
    return Text(item.title, item.title, reverse("news:article", args=[item.slug]),
                [item.title, item.lead, item.body], _short(item.lead), _short(item.lead),
                visible_from=item.publish_at)


def _published_articles():
    # Published and not archived, due or not: one published ahead of its time is found from its `publish_at`.
    return Article.objects.filter(status=Status.PUBLISHED, published=True, archived_at__isnull=True)


PROVIDERS: tuple[Provider, ...] = (
    Provider("indicator", _("Indicators"), Indicator, lambda: Indicator.objects.select_related("domain"),
             _indicator, follows=(Domain,)),
    Provider("gmina", _("Gminy"), Unit, lambda: Unit.objects.gminy().current().select_related("parent"), _unit),
    Provider("domain", _("Strategy 2030 domains"), Domain, lambda: Domain.objects.filter(strategic=True), _domain),
    Provider("project", _("Projects"), Project, cooperation.public_projects, _project),
    Provider("forum", _("Forums"), Forum, lambda: Forum.objects.public(), _forum),
    Provider("meeting", _("Meetings"), Meeting, cooperation.public_meetings, _meeting, follows=(Forum,),
             parts=((AgendaItem, "meeting_id"), (Decision, "meeting_id"))),
    Provider("document", _("Documents"), Document, cooperation.public_documents, _document),
    Provider("event", _("Events"), Event, events.public_events, _event),
    Provider("article", _("News"), Article, _published_articles, _article),
)
KINDS = {provider.kind: provider for provider in PROVIDERS}
