from django.urls import path

from obserwatorium.events import views, workflow_views

app_name = "events"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("calendar.ics", views.calendar_ical, name="calendar-ical"),
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
