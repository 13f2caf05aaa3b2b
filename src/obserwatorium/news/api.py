"""JSON API of the news (the feeds are at /news/feed.atom and /news/feed.rss): public reads of the published
articles, role-checked writes of drafts, and the workflow's steps."""

from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import FilterLookup, FilterSchema, ModelSchema, Path, Router, Schema
from ninja.security import django_auth

from obserwatorium.api.params import MAX_ID, Moment, RecordId
from obserwatorium.news import selectors
from obserwatorium.news.markup import render_markdown
from obserwatorium.news.models import Article
from obserwatorium.news.services import transition_article
from obserwatorium.registry.api import register

router = Router()


class ArticleOut(ModelSchema):
    body_html: str

    class Meta:
        model = Article
        fields = ["id", "title", "slug", "language", "lead", "body", "image_alt", "domain", "forum", "project", "unit",
                  "status", "publish_at", "demo", "created_at", "updated_at"]

    @staticmethod
    def resolve_body_html(obj: Article) -> str:
        return str(render_markdown(obj.body))


class ArticleIn(Schema):
    title: str
    slug: str
    language: str = "pl"
    lead: str
    body: str = ""
    publish_at: Moment | None = None
    domain: RecordId
    forum: RecordId | None = None
    project: RecordId | None = None
    unit: RecordId | None = None


class ArticleFilters(FilterSchema):
    domain: Annotated[str | None, FilterLookup("domain__code")] = None
    forum: Annotated[str | None, FilterLookup("forum__slug")] = None
    project: Annotated[str | None, FilterLookup("project__slug")] = None
    gmina: Annotated[str | None, FilterLookup("unit__teryt")] = None
    language: str | None = None


register(router, model=Article, path="articles", out=ArticleOut, payload=ArticleIn, filters=ArticleFilters,
         public=lambda: selectors.public_articles())


@router.post("/articles/{int:pk}/{action}", response=ArticleOut, auth=django_auth, operation_id="transition_article",
             summary="Move an article along the workflow (submit, return, publish, unpublish)")
def transition(request: HttpRequest, action: str, pk: int = Path(..., ge=1, le=MAX_ID)):
    if action not in ("submit", "return", "publish", "unpublish"):
        raise Http404
    record = Article.objects.current().filter(pk=pk).first()
    if record is None:
        raise Http404
    return transition_article(article=record, action=action, user=request.user, via="api")
