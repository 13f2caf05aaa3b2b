from django.urls import path

from obserwatorium.events import views

app_name = "events"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("calendar.ics", views.calendar_ical, name="calendar-ical"),
    path("new/", views.event_add, name="event-add"),
    path("<int:pk>/", views.event, name="event"),
    path("<int:pk>/edit/", views.event_edit, name="event-edit"),
]
