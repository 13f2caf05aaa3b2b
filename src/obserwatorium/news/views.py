"""News pages: the list (filtered, paginated), an article, the authors' forms and the review actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from obserwatorium.access import rules
from obserwatorium.news import selectors
from obserwatorium.news.forms import ARTICLE_FIELDS, ArticleForm, NewsFilterForm
from obserwatorium.news.models import Article, Status
from obserwatorium.news.services import TRANSITIONS, add_attachment, save_article, transition_article

PAGE_SIZE = 10
# Who is offered which action on the article page (the rules decide in the end).
ACTIONS = ("submit", "return", "publish", "unpublish", "archive", "restore")


def _filter_of(request: HttpRequest) -> selectors.NewsFilter:
    get = request.GET
    return selectors.NewsFilter(domain=get.get("domain", "")[:40], forum=get.get("forum", "")[:200],
                                project=get.get("project", "")[:200], gmina=get.get("gmina", "")[:120])


def article_list(request: HttpRequest) -> HttpResponse:
    news_filter = _filter_of(request)
    form = NewsFilterForm({"domain": news_filter.domain})
    page = Paginator(selectors.public_articles(news_filter), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "news/list.html", {
        "page": page, "form": form, "news_filter": news_filter,
        "can_add": rules.may_create_any(request.user, Article),
        "desk": selectors.desk(request.user) if rules.scope_of(request.user).any else [],
    })


def _offered_actions(user, article: Article) -> list[str]:
    """The workflow actions the user may take on the article now."""
    offered = []
    for action in ACTIONS:
        if action in TRANSITIONS:
            sources, target = TRANSITIONS[action]
            if article.status not in sources or article.archived_at is not None:
                continue
            probe = Article.objects.get(pk=article.pk)
            probe.status = target
            if target == Status.PUBLISHED and probe.publish_at is None:
                probe.publish_at = timezone.now()
            if rules.may_write(user, probe):
                offered.append(action)
        elif action == "archive" and article.archived_at is None and rules.may_write(user, article):
            offered.append(action)
        elif action == "restore" and article.archived_at is not None and rules.may_write(user, article):
            offered.append(action)
    return offered


def article(request: HttpRequest, slug: str) -> HttpResponse:
    record = selectors.readable_article(request.user, slug)
    return render(request, "news/article.html", {
        "article": record, "can_edit": record.archived_at is None and rules.may_write(request.user, record),
        "actions": _offered_actions(request.user, record) if rules.scope_of(request.user).any else [],
        "attachments": record.attachments.all(),
    })


def _content_values(form: ArticleForm) -> dict[str, Any]:
    values = {}
    for name in ARTICLE_FIELDS:
        value = form.cleaned_data[name]
        if name == "image":
            if value is None:  # nothing new uploaded: the stored image stays
                continue
            value = value or ""  # False: "clear" was ticked
        values[name] = value
    return values


def _article_form(request: HttpRequest, record: Article, title: str) -> HttpResponse:
    form = ArticleForm(request.POST or None, request.FILES or None, instance=record, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_article(article=record, values=_content_values(form), user=request.user, via="page")
            if form.cleaned_data.get("attachment"):
                add_attachment(article=saved, title=form.cleaned_data["attachment_title"],
                               file=form.cleaned_data["attachment"], user=request.user, via="page")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The article was saved."))
            return redirect("news:article", slug=saved.slug)
    return render(request, "news/article_form.html", {"form": form, "title": title, "article": record},
                  status=400 if form.errors else 200)


@login_required
def article_add(request: HttpRequest) -> HttpResponse:
    rules.require_create(request.user, Article)
    return _article_form(request, Article(), _("New article"))


@login_required
def article_edit(request: HttpRequest, slug: str) -> HttpResponse:
    record = get_object_or_404(Article.objects.current(), slug=slug)
    rules.require_write(request.user, record)
    return _article_form(request, record, record.title)


@login_required
@require_POST
def article_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """One workflow step (submit, return, publish, unpublish, archive, restore), if the user may take it."""
    if action not in ACTIONS:
        raise Http404(action)
    record = get_object_or_404(Article, slug=slug)
    try:
        transition_article(article=record, action=action, user=request.user, via="page")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: the article is now %(status)s.") % {
            "status": Article.objects.get(pk=record.pk).get_status_display()})
    try:
        selectors.readable_article(request.user, record.slug)
    except Article.DoesNotExist:
        return redirect("news:list")
    return redirect("news:article", slug=record.slug)
