"""Writes of news articles: content through registry.services.save_record, and the workflow's transitions
(draft → review → published → archived), each role-checked by access.rules and recorded in the history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from obserwatorium.news.models import Article, ArticleAttachment, Status
from obserwatorium.registry.services import archive_record, restore_record, save_record

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

# Fields the workflow owns: content writes never set them.
WORKFLOW_FIELDS = frozenset({"status", "published", "archived_at"})

# transition name → (states it starts from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({Status.DRAFT}), Status.REVIEW),
    "return": (frozenset({Status.REVIEW}), Status.DRAFT),
    "publish": (frozenset({Status.REVIEW}), Status.PUBLISHED),
    "unpublish": (frozenset({Status.PUBLISHED}), Status.DRAFT),
}


def save_article(*, article: Article, values: Mapping[str, Any], user: Actor, via: str = "page") -> Article:
    """Create or change an article's content (its state changes only through `transition_article`)."""
    if workflow := WORKFLOW_FIELDS & set(values):
        raise ValidationError({name: _("The status changes only through the review actions.")
                               for name in sorted(workflow)})
    return save_record(record=article, values=values, user=user, via=via)


def transition_article(*, article: Article, action: str, user: Actor, via: str = "page") -> Article:
    """Move the article along the workflow: submit, return (to draft), publish, unpublish, archive, restore."""
    if action == "archive":
        return cast(Article, archive_record(record=article, user=user, via=via))
    if action == "restore":
        return cast(Article, restore_record(record=article, user=user, via=via))
    if action not in TRANSITIONS:
        raise ValidationError({"action": _("Unknown action: %(action)s.") % {"action": action}})
    sources, target = TRANSITIONS[action]
    if article.status not in sources:
        raise ValidationError({"status": _("An article that is %(status)s cannot be sent there.")
                               % {"status": article.get_status_display()}})
    values: dict[str, Any] = {"status": target}
    if target == Status.PUBLISHED and article.publish_at is None:
        values["publish_at"] = timezone.now()
    return save_record(record=article, values=values, user=user, via=via)


def add_attachment(*, article: Article, title: str, file: Any, user: Actor, via: str = "page") -> ArticleAttachment:
    """Attach a file (with its title) to an article the user may write."""
    return save_record(record=ArticleAttachment(article=article), values={"title": title, "file": file},
                       user=user, via=via)
