from django.urls import path

from obserwatorium.events import feed_views, views

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
    path("new/", views.event_add, name="event-add"),
    path("<int:pk>/", views.event, name="event"),
    path("<int:pk>/edit/", views.event_edit, name="event-edit"),
]
