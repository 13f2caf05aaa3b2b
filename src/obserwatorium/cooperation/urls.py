from django.urls import path

from obserwatorium.cooperation import views

app_name = "cooperation"

# Mounted at the site root: every path starts with its own registry's prefix.
urlpatterns = [
    path("forums/", views.forums, name="forums"),
    path("forums/meetings.ics", views.meetings_ical, name="meetings-ical"),
    path("forums/meetings/<int:pk>/", views.meeting, name="meeting"),
    path("forums/meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("forums/<slug:slug>/", views.forum, name="forum"),
    path("forums/<slug:slug>/meetings.ics", views.forum_ical, name="forum-ical"),
    path("forums/<slug:slug>/meetings/new/", views.meeting_add, name="meeting-add"),
    path("projects/", views.projects, name="projects"),
    path("projects/<slug:slug>/", views.project, name="project"),
    path("partners/", views.partners, name="partners"),
    path("documents/", views.documents, name="documents"),
    path("documents/<slug:slug>/", views.document, name="document"),
]
