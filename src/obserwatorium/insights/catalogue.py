"""The open-data catalogue of the site: every dataset the downloads offer, described for DCAT-AP harvesting.

Reads the catalogue in a fixed number of queries, whatever the number of indicators, and hands plain values to
`downloads.dcat`, which builds the graph.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from urllib.parse import urlencode

from django.db.models import Max, Min
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from obserwatorium import config
from obserwatorium.downloads import dcat
from obserwatorium.indicators.models import Flag, Indicator, Observation
from obserwatorium.insights.bulk import PACKAGE_LICENCE
from obserwatorium.insights.models import CompositeIndex
from obserwatorium.vocabulary import parse_period

LANGUAGES = ("pl", "en")
TABLE_FORMATS = ("csv", "xlsx", "json", "parquet")
FREQUENCY_OF_PERIOD = {4: "ANNUAL", 7: "MONTHLY"}  # YYYY, YYYY-MM; YYYY-Qn is told by its Q


def site_url(request: HttpRequest) -> str:
    """The public base address: OBS_SITE_URL, else the request's scheme and host."""
    return (config.get("OBS_SITE_URL").strip() or request.build_absolute_uri("/")).rstrip("/")


def _both(text: str, **values: str) -> dict[str, str]:
    """A fixed sentence in each language of the catalogue."""
    found = {}
    for language in LANGUAGES:
        with translation.override(language):
            found[language] = _(text) % values if values else _(text)
    return found


def _frequency(period: str) -> str:
    if "Q" in period:
        return "QUARTERLY"
    return FREQUENCY_OF_PERIOD.get(len(period), "IRREG")


def _first_day(period: str) -> date:
    year, first, _last = parse_period(period)
    return date(year, first, 1)


def _last_day(period: str) -> date:
    year, _first, last = parse_period(period)
    return date(year, last, calendar.monthrange(year, last)[1])


def _files(base: str, name: str, query: dict[str, str], title: dict[str, str], formats=TABLE_FORMATS
           ) -> tuple[dcat.Distribution, ...]:
    path = reverse("insights:download", args=[name, "csv"]).rsplit(".", 1)[0]
    params = "?" + urlencode(query) if query else ""
    return tuple(dcat.Distribution(url=f"{base}{path}.{fmt}{params}", format=fmt,
                                   title={lang: f"{text} ({fmt.upper()})" for lang, text in title.items()})
                 for fmt in (*formats, "metadata.json"))


def _indicator_datasets(base: str) -> list[dcat.Dataset]:
    spans = {row["indicator_id"]: row for row in Observation.objects.filter(unit__valid_to__isnull=True)
             .values("indicator_id").annotate(first=Min("period"), last=Max("period"),
                                               changed=Max("batch__created_at"))}
    demo = set(Observation.objects.filter(flag=Flag.DEMO).values_list("indicator_id", flat=True).distinct())
    found = []
    for indicator in Indicator.objects.select_related("domain").order_by("domain__order", "order"):
        span = spans.get(indicator.pk)
        if span is None:
            continue  # nothing to download yet
        description = {}
        for language in LANGUAGES:
            parts = [getattr(indicator, f"definition_{language}") or getattr(indicator, f"name_{language}")]
            unit = getattr(indicator, f"unit_{language}") or indicator.unit_pl
            with translation.override(language):
                if unit:
                    parts.append(_("Unit of measure: %(unit)s.") % {"unit": unit})
                source = getattr(indicator, f"source_{language}") or indicator.source_pl
                if source:
                    parts.append(_("Source: %(source)s.") % {"source": source})
                parts.append(_("Values per member gmina and period, each with its flag and source batch."))
                if indicator.pk in demo:
                    parts.append(_("Contains demonstration values (flag 'demo'), not official statistics."))
            description[language] = " ".join(parts)
        title = {"pl": indicator.name_pl, "en": indicator.name_en or indicator.name_pl}
        found.append(dcat.Dataset(
            identifier=f"indicator-{indicator.code}", title=title, description=description,
            landing_page=base + reverse("web:indicator", args=[indicator.code]),
            distributions=_files(base, "values", {"indicator": indicator.code}, title),
            keywords={"pl": (indicator.domain.name_pl,), "en": (indicator.domain.name_en or indicator.domain.name_pl,)},
            frequency=_frequency(span["first"]), start=_first_day(span["first"]), end=_last_day(span["last"]),
            modified=span["changed"]))
    return found


def _index_datasets(base: str, start: date | None, end: date | None) -> list[dcat.Dataset]:
    found = []
    for index in CompositeIndex.objects.order_by("order", "code"):
        title = {"pl": index.name_pl, "en": index.name_en or index.name_pl}
        description = {lang: (getattr(index, f"description_{lang}") or title[lang]) + " "
                       + _both("Composite index per member gmina and year, with each component's contribution.")[lang]
                       for lang in LANGUAGES}
        found.append(dcat.Dataset(
            identifier=f"index-{index.code}", title=title, description=description,
            landing_page=base + reverse("insights:index", args=[index.code]),
            distributions=_files(base, "index", {"index": index.code}, title),
            keywords={lang: (_both("composite index")[lang],) for lang in LANGUAGES},
            frequency="ANNUAL", start=start, end=end))
    return found


def catalogue(request: HttpRequest, *, version: datetime) -> tuple[dcat.Catalogue, list[dcat.Dataset]]:
    """The catalogue and its datasets (the whole data package, each indicator, each index, targets, definitions),
    as of the data version given."""
    base = site_url(request)
    indicators = _indicator_datasets(base)
    start = min((d.start for d in indicators if d.start), default=None)
    end = max((d.end for d in indicators if d.end), default=None)
    open_data = base + reverse("insights:open-data")
    body = config.get("OBS_PUBLIC_BODY")
    publisher = dcat.Agent(name={"pl": body, "en": body}, homepage=base + "/",
                           email=config.get("OBS_CONTACT_EMAIL").strip())
    package = dcat.Dataset(
        identifier="observatory", title=_both("Observatory open data: the whole data package"),
        description=_both("Every public table of the observatory at once, as a Frictionless Data Package: territorial "
                          "units with TERYT codes, domains, the indicator catalogue, observations with their flags, "
                          "source batches with licence and retrieval time, and progress towards targets."),
        landing_page=open_data, modified=version, start=start, end=end, frequency="IRREG",
        keywords={lang: tuple(_both(word)[lang] for word in ("municipalities", "indicators", "statistics"))
                  for lang in LANGUAGES},
        distributions=(dcat.Distribution(url=base + reverse("insights:datapackage"), format="zip",
                                         title=_both("Data package (ZIP)")),))
    extra = [
        dcat.Dataset(identifier="progress", title=_both("Progress towards the Strategy 2030 targets"),
                     description=_both("Each target with its baseline, latest value and assessment."),
                     landing_page=base + reverse("insights:progress"), frequency="IRREG", modified=version,
                     distributions=_files(base, "progress", {}, _both("Progress towards targets"))),
        dcat.Dataset(identifier="derived-definitions", title=_both("Definitions of the derived indicators"),
                     description=_both("The formula and inputs of every indicator computed from others."),
                     landing_page=open_data, frequency="IRREG", modified=version,
                     distributions=_files(base, "derived", {}, _both("Derived indicators"))),
    ]
    about = dcat.Catalogue(
        uri=base + reverse("catalog"), title=_both("Open data catalogue of %(body)s", body=body),
        description=_both("Indicators of the development of the metropolis and its member gminy, composite indices "
                          "and progress towards the strategy's targets, in open formats with their metadata."),
        homepage=base + "/", publisher=publisher, licence=PACKAGE_LICENCE, modified=version,
        spatial=_both("The metropolis and its member gminy"), spatial_uri=base + reverse("web:units"),
        api=base + "/api/", api_description=base + "/api/openapi.json")
    return about, [package, *indicators, *_index_datasets(base, start, end), *extra]
