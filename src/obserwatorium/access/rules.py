"""Who may write what. Every write path (admin, pages, API, CLI) asks these functions.

Roles (access.models.Role): the office administrator writes everything; a domain coordinator writes their
domain's action plans, actions, documents, forums and those forums' meetings and the editorial text of their
domain's section of a report draft; a municipal editor writes their gmina's observations, events (drafts they
submit for the office to publish) and event feeds (not whether a feed is trusted) and the actions their gmina is
responsible for and their gmina's answers to the office's data requests; a forum secretary writes their forum's
meetings (whoever writes a meeting writes its parts
too: attachments, agenda, decisions, attendance, and sends its invitations); coordinators and gmina editors write news
drafts (their domain's, their gmina's) that the office publishes. Everyone else (the public) only reads what is
published.

Least privilege: an account without a role writes nothing, staff or not (Django's staff flag only opens the
admin); a superuser counts as office staff. A role holder need not be staff: they sign in on the site and use
its write pages and the API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from obserwatorium.territory.models import Unit

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor


@dataclass(frozen=True)
class Scope:
    """What one user may write, resolved from their role assignments."""

    office: bool = False
    domains: frozenset[int] = frozenset()
    units: frozenset[int] = frozenset()
    forums: frozenset[int] = frozenset()

    @property
    def any(self) -> bool:
        return self.office or bool(self.domains or self.units or self.forums)


NOBODY = Scope()


def scope_of(user: Actor | None) -> Scope:
    """The user's write scope (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    cached = getattr(user, "_obs_scope", None)
    if cached is not None:
        return cached
    from obserwatorium.access.models import Role, RoleAssignment

    assignments = list(RoleAssignment.objects.filter(user=user).values_list("role", "domain_id", "unit_id",
                                                                              "forum_id"))
    office = user.is_superuser or any(role == Role.OFFICE_ADMIN for role, *_ in assignments)
    scope = Scope(
        office=office,
        domains=frozenset(d for role, d, _u, _f in assignments if role == Role.DOMAIN_COORDINATOR),
        units=frozenset(u for role, _d, u, _f in assignments if role == Role.MUNICIPAL_EDITOR),
        forums=frozenset(f for role, _d, _u, f in assignments if role == Role.FORUM_SECRETARY),
    )
    user.__dict__["_obs_scope"] = scope  # forget() drops it
    return scope


def forget(user: Actor) -> None:
    """Drop the cached scope (after the user's roles changed)."""
    user.__dict__.pop("_obs_scope", None)


def is_office(user: Actor) -> bool:
    """Whether the user is office staff (writes everything)."""
    return scope_of(user).office


def units_editable_for_observations(user: Actor | None) -> QuerySet[Unit]:
    """Units whose observations the user may write: all for office staff, their own gmina for a municipal
    editor, none for anyone else."""
    scope = scope_of(user)
    if scope.office:
        return Unit.objects.all()
    if scope.units:
        return Unit.objects.filter(pk__in=scope.units)
    return Unit.objects.none()


def _get(obj: Any, path: str) -> Any:
    for name in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, name, None)
    return obj


def _plan_domain(action) -> int | None:
    return _get(action, "plan.domain_id") if action.plan_id else None


def _forum_domain(meeting) -> int | None:
    return _get(meeting, "forum.domain_id") if meeting.forum_id else None


def _meeting_writable(scope: Scope, meeting) -> bool:
    return meeting.forum_id in scope.forums or _forum_domain(meeting) in scope.domains


# A coordinator (their domain) and a gmina editor (their gmina) write news drafts and send them for review;
# publishing and archiving a published article are the office's (an author's rule never sees "published").
NEWS_AUTHOR_STATES = frozenset({"draft", "review"})


def _article_writable(scope: Scope, article) -> bool:
    return article.status in NEWS_AUTHOR_STATES and (article.domain_id in scope.domains
                                                     or article.unit_id in scope.units)


def _meeting_part_writable(scope: Scope, part) -> bool:
    return part.meeting_id is not None and _meeting_writable(scope, part.meeting)


def _all_fields(scope: Scope, obj: Any) -> frozenset[str] | None:
    return None


def _any_change(scope: Scope, stored: Any, obj: Any) -> bool:
    return True


# Event moderation: a gmina's editor drafts, submits and withdraws (cancels) their gmina's events; only the office
# publishes or rejects. Statuses are events.models.Status values (access sits below events: no import).
EVENT_EDITOR_STATUSES = frozenset({"draft", "submitted", "withdrawn"})
# A published event is the office's decision: its gmina may only withdraw (cancel) it.
EVENT_WITHDRAW_FIELDS = frozenset({"status", "published"})


def _from_trusted_feed(event: Any) -> bool:
    """An event the gmina's own feed brings, where the office has trusted the feed (its events published without
    review); `feed` is set only by the feed import, never by a form or the API."""
    return event.feed_id is not None and event.feed.trusted


def _event_fields(scope: Scope, stored: Any) -> frozenset[str] | None:
    return EVENT_WITHDRAW_FIELDS if stored.status == "published" and not _from_trusted_feed(stored) else None


def _event_change(scope: Scope, stored: Any, obj: Any) -> bool:
    """An editor leaves an event in a status they may set, or in the one the office gave it; a trusted feed's
    import publishes its events."""
    return obj.status == stored.status or obj.status in EVENT_EDITOR_STATUSES or _from_trusted_feed(obj)


@dataclass(frozen=True)
class Rule:
    """How a scoped role may write one model (office staff always may).

    `edit` is asked of the stored record and of the changed one: a scoped user changes only what is theirs and
    cannot move it out of their reach. `fields` names what the scope may change in the stored record (None: every
    field), so that a gmina updates its action's progress without re-planning the strategy."""

    edit: Callable[[Scope, Any], bool]
    create: Callable[[Scope, Any], bool]
    may_create: Callable[[Scope], bool]
    query: Callable[[Scope], Q]
    fields: Callable[[Scope, Any], frozenset[str] | None] = _all_fields
    # Whether the scope may turn the stored record into the changed one, for what `edit` and `fields` cannot
    # say (a value the scope may not set, e.g. an event's "published" status).
    change: Callable[[Scope, Any, Any], bool] = _any_change
    # For each foreign key that decides whose a record is: which of the related records the scope may choose
    # (forms offer only those, so a user is never shown a choice that is then refused).
    choices: Mapping[str, Callable[[Scope], Q]] = field(default_factory=dict)


# What a municipal editor reports on an action their gmina is responsible for; its plan, goal, weight, code and
# dates are the coordinator's.
ACTION_REPORT_FIELDS = frozenset({"progress", "status", "description_pl", "description_en"})
# What a coordinator changes in an editorial paragraph: its text (and who wrote it last), not its section.
EDITORIAL_FIELDS = frozenset({"text_pl", "text_en", "updated_by"})
# What a municipal editor may change of their gmina's event feed: everything but `trusted` (whether its events
# are published without review is the office's decision).
FEED_EDITOR_FIELDS = frozenset({"name", "url", "default_category", "active", "published", "archived_at", "unit"})
# Written by the system on every save, never chosen by the user.
BOOKKEEPING_FIELDS = frozenset({"created_at", "updated_at"})


def _meeting_part_rule() -> Rule:
    """The rule of a record that belongs to one meeting: written by whoever may write the meeting."""
    return Rule(
        edit=_meeting_part_writable,
        create=_meeting_part_writable,
        may_create=lambda s: bool(s.domains or s.forums),
        query=lambda s: Q(meeting__forum__in=s.forums) | Q(meeting__forum__domain__in=s.domains),
        choices={"meeting": lambda s: Q(forum__in=s.forums) | Q(forum__domain__in=s.domains)},
    )


RULES: dict[str, Rule] = {
    "strategy.actionplan": Rule(
        edit=lambda s, o: o.domain_id in s.domains,
        create=lambda s, o: o.domain_id in s.domains,
        may_create=lambda s: bool(s.domains),
        query=lambda s: Q(domain__in=s.domains),
        choices={"domain": lambda s: Q(pk__in=s.domains)},
    ),
    "strategy.action": Rule(
        # A gmina edits the actions it is responsible for but does not add actions to adopted plans.
        edit=lambda s, o: _plan_domain(o) in s.domains or o.responsible_unit_id in s.units,
        create=lambda s, o: _plan_domain(o) in s.domains,
        may_create=lambda s: bool(s.domains),
        query=lambda s: Q(plan__domain__in=s.domains) | Q(responsible_unit__in=s.units),
        fields=lambda s, o: None if _plan_domain(o) in s.domains else ACTION_REPORT_FIELDS,
        choices={"plan": lambda s: Q(domain__in=s.domains)},
    ),
    "cooperation.forum": Rule(
        edit=lambda s, o: o.domain_id in s.domains,
        create=lambda s, o: o.domain_id in s.domains,
        may_create=lambda s: bool(s.domains),
        query=lambda s: Q(domain__in=s.domains),
        choices={"domain": lambda s: Q(pk__in=s.domains)},
    ),
    "cooperation.meeting": Rule(
        edit=_meeting_writable,
        create=_meeting_writable,
        may_create=lambda s: bool(s.domains or s.forums),
        query=lambda s: Q(forum__in=s.forums) | Q(forum__domain__in=s.domains),
        choices={"forum": lambda s: Q(pk__in=s.forums) | Q(domain__in=s.domains)},
    ),
    # A meeting's attachments, agenda items, decisions, attendance and invitations: whoever writes the meeting.
    **{f"cooperation.{name}": _meeting_part_rule()
       for name in ("meetingattachment", "agendaitem", "decision", "attendance", "invitation")},
    "cooperation.document": Rule(
        edit=lambda s, o: o.domain_id in s.domains,
        create=lambda s, o: o.domain_id in s.domains,
        may_create=lambda s: bool(s.domains),
        query=lambda s: Q(domain__in=s.domains),
        choices={"domain": lambda s: Q(pk__in=s.domains)},
    ),
    # A document's versions: uploaded by whoever writes the document (a version is never changed or deleted).
    "cooperation.documentversion": Rule(
        edit=lambda s, o: False,
        create=lambda s, o: _get(o, "document.domain_id") in s.domains,
        may_create=lambda s: bool(s.domains),
        query=lambda s: Q(document__domain__in=s.domains),
        choices={"document": lambda s: Q(domain__in=s.domains)},
    ),
    # A report draft's editorial paragraph: a coordinator writes the text of their domain's section only (the
    # office writes every section and alone publishes editions: reports.edition has no rule).
    "reports.editorial": Rule(
        edit=lambda s, o: o.domain_id is not None and o.domain_id in s.domains,
        create=lambda s, o: o.domain_id is not None and o.domain_id in s.domains,
        may_create=lambda s: bool(s.domains),
        query=lambda s: Q(domain__in=s.domains),
        fields=lambda s, o: EDITORIAL_FIELDS,
    ),
    # A data request's submission: a municipal editor fills their own gmina's, while the request is open. The
    # requests themselves (collection.datarequest) have no rule: the office alone opens, reminds, reopens and
    # closes them.
    "collection.submission": Rule(
        edit=lambda s, o: o.unit_id in s.units and _get(o, "request.status") == "open",
        create=lambda s, o: False,
        may_create=lambda s: False,
        query=lambda s: Q(unit__in=s.units, request__status="open"),
    ),
    "events.event": Rule(
        edit=lambda s, o: o.unit_id in s.units,
        create=lambda s, o: o.unit_id in s.units and (o.status in EVENT_EDITOR_STATUSES or _from_trusted_feed(o)),
        fields=_event_fields,
        change=_event_change,
        may_create=lambda s: bool(s.units),
        query=lambda s: Q(unit__in=s.units),
        choices={"unit": lambda s: Q(pk__in=s.units)},
    ),
    "news.article": Rule(
        edit=_article_writable,
        create=_article_writable,
        may_create=lambda s: bool(s.domains or s.units),
        query=lambda s: Q(status__in=NEWS_AUTHOR_STATES) & (Q(domain__in=s.domains) | Q(unit__in=s.units)),
        # A coordinator picks among their domains (any gmina); a gmina editor their gmina (any domain).
        choices={"domain": lambda s: Q() if s.units else Q(pk__in=s.domains),
                 "unit": lambda s: Q() if s.domains else Q(pk__in=s.units)},
    ),
    "news.articleattachment": Rule(
        edit=lambda s, o: o.article_id is not None and _article_writable(s, o.article),
        create=lambda s, o: o.article_id is not None and _article_writable(s, o.article),
        may_create=lambda s: bool(s.domains or s.units),
        query=lambda s: Q(article__status__in=NEWS_AUTHOR_STATES) & (Q(article__domain__in=s.domains)
                                                                     | Q(article__unit__in=s.units)),
        choices={"article": lambda s: Q(status__in=NEWS_AUTHOR_STATES) & (Q(domain__in=s.domains)
                                                                          | Q(unit__in=s.units))},
    ),
    # A gmina adds and runs its own feed (it knows its calendar's address and answers for it); the office decides
    # whether the feed is trusted (its events published at once).
    "events.eventfeed": Rule(
        edit=lambda s, o: o.unit_id in s.units,
        create=lambda s, o: o.unit_id in s.units and not o.trusted,
        may_create=lambda s: bool(s.units),
        query=lambda s: Q(unit__in=s.units),
        fields=lambda s, o: FEED_EDITOR_FIELDS,
        choices={"unit": lambda s: Q(pk__in=s.units)},
    ),
}


def _rule(model: type[models.Model]) -> Rule | None:
    return RULES.get(model._meta.label_lower)


def changed_fields(stored: models.Model, obj: models.Model) -> set[str]:
    """The names of the concrete fields whose value differs between the stored record and the object."""
    return {field.name for field in obj._meta.concrete_fields
            if field.value_from_object(stored) != field.value_from_object(obj)} - BOOKKEEPING_FIELDS


def may_write(user: Actor, obj: models.Model) -> bool:
    """Whether the user may save this record: a new one (no pk yet), or a stored one both as it is stored (before)
    and as the object now stands (after the change), changing only fields the user's scope may change."""
    scope = scope_of(user)
    if scope.office:
        return True
    rule = _rule(type(obj))
    if rule is None or not scope.any:
        return False
    if obj.pk is None:
        return bool(rule.create(scope, obj))
    stored = type(obj)._base_manager.filter(pk=obj.pk).first()
    if stored is None or not (rule.edit(scope, stored) and rule.edit(scope, obj)):
        return False
    if not rule.change(scope, stored, obj):
        return False
    allowed = rule.fields(scope, stored)
    return allowed is None or changed_fields(stored, obj) <= allowed


def may_create_any(user: Actor, model: type[models.Model]) -> bool:
    """Whether the user may add records of this model at all (which ones is checked by may_write)."""
    scope = scope_of(user)
    if scope.office:
        return True
    rule = _rule(model)
    return rule is not None and rule.may_create(scope)


def may_write_any(user: Actor, model: type[models.Model]) -> bool:
    """Whether some record of this model could be the user's to write."""
    scope = scope_of(user)
    if scope.office:
        return True
    rule = _rule(model)
    return rule is not None and scope.any and writable(user, model._default_manager.all()).exists()


def writable(user: Actor, queryset: QuerySet) -> QuerySet:
    """The records of the queryset the user may change."""
    scope = scope_of(user)
    if scope.office:
        return queryset
    rule = _rule(queryset.model)
    if rule is None or not scope.any:
        return queryset.none()
    return queryset.filter(rule.query(scope))


def choice_limit(user: Actor, model: type[models.Model], field_name: str) -> Q | None:
    """Which related records the user may choose for this foreign key of the model (None: any of them).

    Office staff choose freely; a scoped user is offered only what their rule lets them write into; a user
    without a rule for the model, nothing."""
    scope = scope_of(user)
    if scope.office:
        return None
    rule = _rule(model)
    if rule is None or not scope.any:
        return Q(pk__in=[])
    limit = rule.choices.get(field_name)
    return None if limit is None else limit(scope)


def require_write(user: Actor, obj: models.Model) -> None:
    """Refuse (PermissionDenied, answered with 403) unless the user may save this record."""
    if not may_write(user, obj):
        raise PermissionDenied(_("You may not change this record."))


def require_create(user: Actor, model: type[models.Model]) -> None:
    """Refuse unless the user may add records of this model."""
    if not may_create_any(user, model):
        raise PermissionDenied(_("You may not add records of this kind."))


# The name the services use for a stored record.
require_edit = require_write
