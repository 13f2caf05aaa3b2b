from django.urls import path

from obserwatorium.events import feed_views, views, workflow_views

app_name = "events"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("calendar.ics", views.calendar_ical, name="calendar-ical"),
    path("gmina/<str:teryt>/calendar.ics", views.gmina_ical, name="gmina-ical"),
    path("category/<str:category>/calendar.ics", views.category_ical, name="category-ical"),
    path("upcoming.atom", views.upcoming_atom, name="upcoming-atom"),
    path("feeds/", feed_views.feeds, name="feeds"),
    path("feeds/<int:pk>/", feed_views.feed, name="feed"),
    path("feeds/<int:pk>/run/", feed_views.feed_run, name="feed-run"),
    path("gmina/<str:teryt>/", views.gmina_calendar, name="gmina"),
    path("category/<slug:category>/", views.category_calendar, name="category"),
    path("new/", workflow_views.event_add, name="event-add"),
    path("mine/", workflow_views.my_events, name="mine"),
    path("moderation/", workflow_views.moderation, name="moderation"),
    path("moderation/publish/", workflow_views.moderation_publish, name="moderation-publish"),
    path("<int:pk>/", views.event, name="event"),
    path("<int:pk>/edit/", workflow_views.event_edit, name="event-edit"),
    path("<int:pk>/submit/", workflow_views.event_submit, name="event-submit"),
    path("<int:pk>/withdraw/", workflow_views.event_withdraw, name="event-withdraw"),
    path("<int:pk>/publish/", workflow_views.event_publish, name="event-publish"),
    path("<int:pk>/reject/", workflow_views.event_reject, name="event-reject"),
]
