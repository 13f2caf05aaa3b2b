from django.urls import path

from obserwatorium.news import views
from obserwatorium.news.feeds import AtomNewsFeed, NewsFeed

app_name = "news"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("feed.atom", AtomNewsFeed(), name="feed-atom"),
    path("feed.rss", NewsFeed(), name="feed-rss"),
    path("domain/<slug:code>/feed.atom", AtomNewsFeed(), name="domain-feed-atom"),
    path("domain/<slug:code>/feed.rss", NewsFeed(), name="domain-feed-rss"),
    path("new/", views.article_add, name="article-add"),
    path("<slug:slug>/", views.article, name="article"),
    path("<slug:slug>/edit/", views.article_edit, name="article-edit"),
    path("<slug:slug>/<slug:action>/", views.article_action, name="article-action"),
]
