"""Public pages: thin views over the selectors and the page builders."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from obserwatorium.indicators import selectors
from obserwatorium.indicators.models import Domain
from obserwatorium.insights.links import download_links
from obserwatorium.vocabulary import DOMAIN_CODE, is_colour
from obserwatorium.web import cooperation, indicator_page, unit_page
from obserwatorium.web.figures import headline, input_indicator_ids, latest_shown


def _language() -> str:
    return (get_language() or "pl")[:2]


def home(request: HttpRequest) -> HttpResponse:
    """The strategy domains with their headline indicators' latest metropolis values."""
    domains = list(selectors.strategy_domains())
    members = selectors.comparison_units()
    population = selectors.population_indicator()
    shown = [i for domain in domains for i in domain.headline_indicators]
    cells = selectors.observation_cells(
        indicator_ids=input_indicator_ids([*shown, *([population] if population else [])], population),
        unit_ids=[m.pk for m in members])
    cards = [(domain, [headline(i, cells, members, population, _language()) for i in domain.headline_indicators])
             for domain in domains]
    people = headline(population, cells, members, population, _language()) if population else None
    return render(request, "web/home.html", {
        "cards": cards, "members": members, "population": people, "cooperation": cooperation.for_home(),
        "has_demo_data": any(h.demo for _, figures in cards for h in figures) or bool(people and people.demo),
    })


def domain(request: HttpRequest, code: str) -> HttpResponse:
    """One strategy domain: its headline indicators, forums, action plans, projects and targets."""
    found = next((d for d in selectors.strategy_domains() if d.code == code), None)
    if found is None:
        raise Http404("no such strategy domain")
    members = selectors.comparison_units()
    population = selectors.population_indicator()
    cells = selectors.observation_cells(
        indicator_ids=input_indicator_ids([*found.headline_indicators, *([population] if population else [])],
                                          population),
        unit_ids=[m.pk for m in members])
    figures = [headline(i, cells, members, population, _language()) for i in found.headline_indicators]
    return render(request, "web/domain.html", {
        "domain": found, "figures": figures, "part": cooperation.for_domain(found.code),
        "has_demo_data": any(h.demo for h in figures),
    })


def indicators(request: HttpRequest) -> HttpResponse:
    """The catalogue grouped by domain, with a text search and a domain filter."""
    query = request.GET.get("q", "")[:100]
    domain = request.GET.get("domain", "")[:40]
    groups = selectors.catalogue_by_domain(query=query, domain=domain)
    return render(request, "web/indicators.html", {
        "groups": groups, "query": query, "domain": domain, "domains": selectors.domains(),
        "count": sum(len(items) for _, items in groups),
    })


def domain_styles(request: HttpRequest) -> HttpResponse:
    """Each domain's colour as a class (`domain-CODE` sets `--domain`): the colours are data, and the
    Content-Security-Policy allows no inline style, so they come as a stylesheet."""
    rules = [f".domain-{code} {{ --domain: {colour}; }}"
             for code, colour in Domain.objects.order_by("order").values_list("code", "color")
             if is_colour(colour) and DOMAIN_CODE.matches(code)]
    response = HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def indicator(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator for all members: chart over time, map of a year, table, metadata and provenance."""
    found = selectors.indicator_by_code(code)
    if found is None:
        raise Http404("no such indicator")
    context = indicator_page.build(found, year=request.GET.get("year"), language=_language())
    of_members = {"indicator": found.code, "group": "members"}
    context["table_downloads"] = download_links(None, "values", query=of_members)
    if context.get("year"):
        context["map_downloads"] = download_links(None, "values", mappable=True,
                                                  query={**of_members, "period": context["year"]})
    return render(request, "web/indicator.html", context)


def units(request: HttpRequest) -> HttpResponse:
    """The member gminy with their type, powiat, area and latest population."""
    members = selectors.comparison_units()
    population = selectors.population_indicator()
    cells = selectors.observation_cells(indicator_ids=[population.pk] if population else [],
                                        unit_ids=[m.pk for m in members])
    rows = [(member, latest_shown(cells, population, member, _language())) for member in members]
    return render(request, "web/units.html", {
        "rows": rows, "has_demo_data": any(cell.demo for _, cell in rows)})


def unit(request: HttpRequest, slug: str) -> HttpResponse:
    """One gmina: every indicator against the metropolis, grouped by domain."""
    found = selectors.gmina_by_slug(slug)
    if found is None:
        raise Http404("no such gmina")
    context = unit_page.build(found, language=_language())
    context["part"] = cooperation.for_unit(found)
    context["downloads"] = download_links(None, "profile", query={"unit": found.teryt})
    return render(request, "web/unit.html", context)
