"""Public pages: thin views over the selectors and the page builders."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from obserwatorium.indicators import selectors
from obserwatorium.indicators.models import Domain
from obserwatorium.insights.delivery import dataset_response
from obserwatorium.insights.groups import available_groups
from obserwatorium.insights.links import download_links
from obserwatorium.vocabulary import DOMAIN_CODE, is_colour
from obserwatorium.web import charts, compare_page, cooperation, indicator_page, unit_page, units_page
from obserwatorium.web.figures import headlines


def _language() -> str:
    return (get_language() or "pl")[:2]


def home(request: HttpRequest) -> HttpResponse:
    """The strategy domains with their headline indicators' latest metropolis values."""
    domains = list(selectors.strategy_domains())
    members = selectors.comparison_units()
    population = selectors.population_indicator()
    shown = [i for domain in domains for i in domain.headline_indicators] + ([population] if population else [])
    figures = headlines(shown, members, population, _language())
    cards = [(domain, [figures[i.pk] for i in domain.headline_indicators]) for domain in domains]
    people = figures[population.pk] if population else None
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
    found_figures = headlines(found.headline_indicators, members, population, _language())
    figures = [found_figures[i.pk] for i in found.headline_indicators]
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
    context = indicator_page.build(found, year=request.GET.get("year"), language=_language(),
                                   highlight=request.GET.get("highlight", "")[:100],
                                   page=request.GET.get("page", "")[:10])
    of_members = {"indicator": found.code, "group": "members"}
    context["table_downloads"] = download_links(None, "values", query=of_members)
    if context.get("year"):
        context["map_downloads"] = download_links(None, "values", mappable=True,
                                                  query={**of_members, "period": context["year"]})
    return render(request, "web/indicator.html", context)


def units(request: HttpRequest) -> HttpResponse:
    """The member gminy with their type, powiat, area and latest population; in pages, with a filter, when many."""
    context = units_page.build(query=request.GET.get("q", "")[:100], powiat=request.GET.get("powiat", "")[:10],
                               gmina_type=request.GET.get("type", "")[:20], page=request.GET.get("page", "")[:10],
                               language=_language())
    return render(request, "web/units.html", context)


def unit(request: HttpRequest, slug: str) -> HttpResponse:
    """One gmina: every indicator against the metropolis, grouped by domain."""
    found = selectors.gmina_by_slug(slug)
    if found is None:
        raise Http404("no such gmina")
    context = unit_page.build(found, language=_language())
    context["part"] = cooperation.for_unit(found)
    context["downloads"] = download_links(None, "profile", query={"unit": found.teryt})
    return render(request, "web/unit.html", context)


def _comparison(request: HttpRequest) -> tuple[compare_page.CompareForm, compare_page.Comparison | None]:
    gminy, groups, domains = selectors.map_units(), available_groups(), list(selectors.domains())
    form = compare_page.CompareForm(request.GET, gminy=gminy, groups=groups, domains=domains)
    return form, compare_page.build(form, gminy=gminy, groups=groups, domains=domains, language=_language())


def compare(request: HttpRequest) -> HttpResponse:
    """2–6 chosen gminy side by side, and a group, over every indicator of a domain: one shareable address."""
    if len(request.GET.getlist("units")) > 1:  # the form's repeated parameter: one short address to share
        params = request.GET.copy()
        params.setlist("units", [",".join(compare_page.unit_codes(request.GET))])
        return redirect(f"{request.path}?{params.urlencode(safe=',')}")
    form, comparison = _comparison(request)
    context: dict = {"form": form, "comparison": comparison, "min_units": compare_page.MIN_UNITS,
                     "max_units": compare_page.MAX_UNITS}
    if comparison is not None:
        query = {"units": ",".join(u.teryt for u in comparison.units), "domain": comparison.domain.code,
                 "group": comparison.group.key if comparison.group else compare_page.NO_GROUP}
        context.update(batch_uses=compare_page.batch_uses(comparison), has_demo_data=comparison.demo,
                       chart_options=charts.embed_options(save_svg=_("Save as SVG"), save_png=_("Save as PNG"),
                                                          menu=_("Chart actions")),
                       downloads=download_links(None, "compare", query=query,
                                                url=reverse("web:compare-download", args=["csv"])))
    return render(request, "web/compare.html", context)


def compare_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The comparison's values in one open format, with the metadata of every observatory download."""
    form, comparison = _comparison(request)
    if comparison is None:
        raise Http404("choose 2–6 gminy")
    return dataset_response(request, compare_page.dataset(comparison), fmt)
