from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from obserwatorium.news.models import Article, ArticleAttachment
from obserwatorium.news.services import transition_article
from obserwatorium.registry.admin_base import RegistryAdmin, RegistryInline


class AttachmentInline(RegistryInline):
    model = ArticleAttachment
    fields = ("title", "file")


@admin.register(Article)
class ArticleAdmin(RegistryAdmin):
    list_display = ("title", "domain", "language", "status", "publish_at", "demo")
    list_filter = ("status", "domain", "language", "demo")
    search_fields = ("title", "lead", "body")
    prepopulated_fields = {"slug": ("title",)}
    exclude = ("published",)
    readonly_fields = ("status",)
    date_hierarchy = "publish_at"
    list_select_related = ("domain",)
    inlines = [AttachmentInline]
    actions = [*RegistryAdmin.actions, "submit_selected", "publish_selected", "return_selected"]

    def _transition(self, request, queryset, action: str) -> None:
        records = list(queryset)
        try:
            with transaction.atomic():
                for record in records:
                    transition_article(article=record, action=action, user=request.user, via="admin")
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, ngettext("%(count)d article changed.", "%(count)d articles changed.",
                                            len(records)) % {"count": len(records)}, messages.SUCCESS)

    @admin.action(description=_("Send the selected articles for review"))
    def submit_selected(self, request, queryset):
        self._transition(request, queryset, "submit")

    @admin.action(description=_("Publish the selected articles (after review)"))
    def publish_selected(self, request, queryset):
        self._transition(request, queryset, "publish")

    @admin.action(description=_("Return the selected articles to their authors (draft)"))
    def return_selected(self, request, queryset):
        self._transition(request, queryset, "return")
