"""News articles ("Aktualności"): per domain, optionally tied to a forum, a project or a gmina; written in
Markdown and moved through draft → review → published → archived by news.services."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from obserwatorium.history.models import Audience, TrackedModel
from obserwatorium.registry.models import RegistryQuerySet, RegistryRecord

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

IMAGE_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("news status", "draft")
    REVIEW = "review", pgettext_lazy("news status", "in review")
    PUBLISHED = "published", pgettext_lazy("news status", "published")
    ARCHIVED = "archived", pgettext_lazy("news status", "archived")


# The states a scoped author (coordinator, gmina editor) may leave an article in: publishing is the office's.
AUTHOR_STATES = frozenset({Status.DRAFT, Status.REVIEW})


class Language(models.TextChoices):
    POLISH = "pl", _("Polish")
    ENGLISH = "en", _("English")


class ArticleQuerySet(RegistryQuerySet):
    def public(self) -> ArticleQuerySet:
        """Published, not archived, and due (an article may be published ahead of its publication time)."""
        return self.filter(status=Status.PUBLISHED, published=True, archived_at__isnull=True,
                           publish_at__lte=timezone.now())


class Article(RegistryRecord):
    """One news article, written in one language (news is written once; the list shows both languages)."""

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("address (slug)"), max_length=200, unique=True,
                            help_text=_("The last part of the article's address: letters, digits and hyphens."))
    language = models.CharField(_("language of the article"), max_length=2, choices=Language.choices,
                                default=Language.POLISH)
    lead = models.TextField(_("lead"), max_length=1000, help_text=_("One or two sentences shown in lists and feeds."))
    body = models.TextField(_("body"), blank=True,
                            help_text=_("Markdown: paragraphs, **bold**, *italics*, lists, [links](https://…), "
                                        "headings (##). HTML is shown as text."))
    image = models.FileField(_("image"), upload_to="news/%Y/", blank=True,
                             validators=[FileExtensionValidator(IMAGE_EXTENSIONS)],
                             help_text=_("PNG, JPEG or WebP."))
    image_alt = models.CharField(_("image description (alt text)"), max_length=300, blank=True,
                                 help_text=_("What the image shows, for people who cannot see it; required "
                                             "with an image."))
    domain = models.ForeignKey("indicators.Domain", verbose_name=_("domain"), on_delete=models.PROTECT,
                               related_name="news", limit_choices_to={"strategic": True})
    forum = models.ForeignKey("cooperation.Forum", verbose_name=_("forum"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="news")
    project = models.ForeignKey("cooperation.Project", verbose_name=_("project"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="news")
    unit = models.ForeignKey("territory.Unit", verbose_name=_("gmina"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="news", limit_choices_to={"level": "gmina"})
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT,
                              editable=False)
    publish_at = models.DateTimeField(_("publication date"), null=True, blank=True,
                                      help_text=_("Europe/Warsaw time; empty: the moment it is published."))
    demo = models.BooleanField(_("demonstration article"), default=False,
                               help_text=_("Generated to show how the news works; never presented as real news."))

    objects: ClassVar[models.Manager[Article]] = ArticleQuerySet.as_manager()  # with its own public()

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        ordering = ["-publish_at", "-created_at"]
        indexes = [models.Index(fields=["status", "publish_at"], name="news_status_publish_idx")]
        constraints = [
            models.CheckConstraint(
                name="news_published_has_date",
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                violation_error_message=_("A published article needs a publication date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return (self.status == Status.PUBLISHED and self.archived_at is None and self.publish_at is not None
                and self.publish_at <= timezone.now())

    def history_audience(self, user: Actor) -> Audience | None:
        """The public reads the history of an article once it is out; authors and staff always."""
        audience = super().history_audience(user)
        return None if audience == "public" and not self.is_public else audience

    def clean(self) -> None:
        super().clean()
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Describe the image: an image needs its alt text.")})

    def save(self, *args, **kwargs):
        # The registry's flags follow the workflow: only a published article is "published", and the
        # registry's archive (archive_record) is the workflow's last state.
        if self.archived_at is not None:
            self.status = Status.ARCHIVED
        elif self.status == Status.ARCHIVED:
            self.status = Status.DRAFT  # restored: it goes through review again
        self.published = self.status == Status.PUBLISHED
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "status", "published"}
        super().save(*args, **kwargs)


class ArticleAttachment(TrackedModel):
    """A file that goes with an article (a programme, a presentation), with its title."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE,
                                related_name="attachments")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="news/attachments/%Y/")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["article", "title"]

    def __str__(self) -> str:
        return self.title
