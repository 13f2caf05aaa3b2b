"""Discovering and reading the site's pages, shared by the page tests: minimal records of every registry, every
URL a record fills, the admin's views of every registered model, and the visible text of a rendered page."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from obserwatorium.history.models import TrackedModel

# Not pages of a record: the language switch, uploaded files, the admin (see admin_urls).
SKIPPED_PREFIXES = ("i18n/", "media/", "admin/", "favicon.ico")
_counter = itertools.count(1)


def registry_models() -> list[type[models.Model]]:
    """Every concrete model whose changes are tracked: the registries."""
    return [model for model in apps.get_models() if issubclass(model, TrackedModel)]


def _value_for(field: models.Field):
    """A valid value for a required field that has no default (unique where the field is)."""
    number = next(_counter)
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey):
        return _existing_or_minimal(field)
    if isinstance(field, models.FileField):
        # A stored name is enough for the pages; nothing is written to the media folder.
        return f"minimal/{number}.pdf"
    if isinstance(field, (models.SlugField, models.CharField, models.TextField)):
        text = f"min-{number}"
        return text[: field.max_length] if field.max_length else text
    if isinstance(field, models.DateTimeField):
        return timezone.now() + timedelta(days=number)
    if isinstance(field, models.DateField):
        return date.today() + timedelta(days=number)
    if isinstance(field, models.DecimalField):
        return Decimal(1)
    if isinstance(field, models.FloatField):
        return 1.0
    if isinstance(field, models.IntegerField):
        # Years are the common integer field (a later field gets a later year: a target after its baseline). Past
        # 2100, so that a minimal record never takes the year of a record the preset holds (a result's value of
        # 2022 is unique per result): the counter grows with every model added.
        return 2100 + number
    if isinstance(field, models.BooleanField):
        return False
    raise NotImplementedError(f"no minimal value for {field!r}")


def _required(field: models.Field) -> bool:
    return (field.concrete and not field.primary_key and not field.null and not field.has_default()
            and not getattr(field, "auto_now", False) and not getattr(field, "auto_now_add", False))


def build_minimal(model: type[models.Model]) -> models.Model:
    """A stored record of the model with only its required fields set; where a check constraint asks for one of
    some optional links (an attendance is of a gmina or of a partner), the first optional link that satisfies it."""
    values = {field.name: _value_for(field) for field in model._meta.concrete_fields if _required(field)}
    try:
        with transaction.atomic():
            instance = model(**values)
            instance.save()
            return instance
    except IntegrityError:
        optional = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey) and f.null]
        for field in optional:
            try:
                with transaction.atomic():
                    instance = model(**values, **{field.name: _existing_or_minimal(field)})
                    instance.save()
                    return instance
            except IntegrityError:
                continue
        raise


def _existing_or_minimal(field: models.ForeignKey) -> models.Model:
    """The first record the field may point to (as the admin's choice would offer it), else a minimal one."""
    model = field.related_model
    if model is get_user_model():
        return get_user_model().objects.create_user(f"minimal-{next(_counter)}")
    choices = model._default_manager.complex_filter(field.get_limit_choices_to()).order_by("pk")
    return choices.first() or build_minimal(model)


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _patterns(entry, route)
        else:
            found.append((route, entry))
    return found


def browse_urls() -> set[str]:
    """Every browse table's page, plain and with each facet's first value chosen (the table's name is no record's
    attribute, so `record_urls` cannot fill it)."""
    from django.http import QueryDict

    from obserwatorium.browse import selectors
    from obserwatorium.browse.catalogue import TABLES
    from obserwatorium.browse.state import read_state

    urls = set()
    for name, table in TABLES.items():
        urls.add(f"/browse/{name}/")
        state = read_state(table, QueryDict())
        chosen = [f"{facet.key}={values[0].param}" for facet in table.facets
                  if (values := selectors.facet_counts(state, facet).values)]
        urls.add(f"/browse/{name}/?" + "&".join(chosen[:2]))
    return urls


def record_urls(records: list[models.Model]) -> set[str]:
    """Every URL of the site whose parameters one of the records fills, and every URL without parameters."""
    urls: set[str] = set()
    for route, entry in _patterns(get_resolver()):
        if route.startswith(SKIPPED_PREFIXES):
            continue
        converters = entry.pattern.converters
        names = list(converters)
        if not names:
            try:
                urls.add(reverse_route(entry, route, {}))
            except ValueError:
                pass
            continue
        for record in records:
            if not _may_fill(entry, route, record):
                continue
            values = {"pk": record.pk, "id": record.pk, "model": record._meta.model_name}
            for attr in ("slug", "code"):
                if getattr(record, attr, None):
                    values[attr] = getattr(record, attr)
            if all(name in values for name in names):
                try:
                    urls.add(reverse_route(entry, route, {name: values[name] for name in names}))
                except ValueError:
                    pass
    return urls


def _may_fill(entry: URLPattern, route: str, record: models.Model) -> bool:
    """Whether the route may show the record: its app (a view bound to one app) and, for a number in the path,
    the word before it naming the model ("actions/<pk>" an action, "plans/<pk>" an action plan, "events/<pk>"
    an event)."""
    meta = record._meta
    if entry.default_args.get("app_label", meta.app_label) != meta.app_label:
        return False
    if "pk" not in entry.pattern.converters and "id" not in entry.pattern.converters:
        return True
    words = re.findall(r"([a-z-]+)/<(?:\w+:)?(?:pk|id)>", route)
    noun = re.sub(r"ies$", "y", words[-1].replace("-", "")).rstrip("s") if words else ""
    return bool(noun) and (noun in meta.model_name or meta.app_label.rstrip("s") == noun)


def reverse_route(entry: URLPattern, route: str, kwargs: dict) -> str:
    """The path of a route with its parameters filled (ValueError when a value does not fit the converter)."""
    path = route
    for name, converter in entry.pattern.converters.items():
        text = converter.to_url(kwargs[name])
        if not re.fullmatch(converter.regex, text):
            raise ValueError(name)
        path = re.sub(rf"<(?:\w+:)?{name}>", text, path, count=1)
    if "<" in path or "^" in path or "(" in path:
        raise ValueError(path)
    return "/" + path


def admin_urls(records: list[models.Model]) -> set[str]:
    """The admin's list, change, history and delete confirmation of every registered model, for the records."""
    urls: set[str] = set()
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.add(reverse(f"{prefix}_changelist"))
        urls.add(reverse(f"{prefix}_add"))
        for record in [r for r in records if type(r) is model] or model._default_manager.order_by("pk")[:1]:
            for view in ("change", "history", "delete"):
                urls.add(reverse(f"{prefix}_{view}", args=[record.pk]))
    return urls


# Attribute values a reader sees or hears; every other attribute (href, class, value, data-*) is not text.
VISIBLE_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
# Not interface text: scripts and styles; a text area's content (a value being edited, like an input's value);
# code, kbd and samp (literal text the reader types or reads as such: column names, file names, identifiers).
HIDDEN_ELEMENTS = ("script", "style", "template", "textarea", "code", "kbd", "samp")


class _VisibleText(HTMLParser):
    """Also leaves out a passage marked as another language than the page's (`lang="en"` inside a Polish page:
    the language switch's "English", an English news article): it is meant to be read in that language."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self._page_language = ""
        self._foreign: list[str] = []  # the open elements in another language

    def handle_starttag(self, tag, attrs):
        language = (dict(attrs).get("lang") or "")[:2]
        if tag == "html":
            self._page_language = language
        elif language and self._page_language and language != self._page_language:
            self._foreign.append(tag)
            self._hidden += 1
        if tag in HIDDEN_ELEMENTS:
            self._hidden += 1
        self._attributes(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._attributes(tag, attrs)

    def _attributes(self, tag, attrs):
        values = dict(attrs)
        if tag == "img" and "/admin/img/icon-" in (values.get("src") or ""):
            # Django's admin names its yes/no icons "True"/"False" in every language (its own untranslated text).
            return
        for name in VISIBLE_ATTRIBUTES:
            if values.get(name) and not self._hidden:
                self.parts.append(values[name])

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS and self._hidden:
            self._hidden -= 1
        if self._foreign and self._foreign[-1] == tag:
            self._foreign.pop()
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text a reader of the page sees or hears: text outside scripts and styles, and the visible attributes;
    each piece on its own line, whitespace within a piece collapsed."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "\n".join(" ".join(part.split()) for part in parser.parts if part.strip())
