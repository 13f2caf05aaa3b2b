from django.urls import path

from obserwatorium.cooperation import document_views, meeting_views, views

app_name = "cooperation"

# Mounted at the site root: every path starts with its own registry's prefix.
urlpatterns = [
    path("forums/", views.forums, name="forums"),
    path("forums/meetings.ics", views.meetings_ical, name="meetings-ical"),
    path("forums/meetings/", meeting_views.meetings, name="meetings"),
    path("forums/meetings/<int:pk>/", views.meeting, name="meeting"),
    path("forums/meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("forums/meetings/<int:pk>/agenda/", meeting_views.agenda, name="meeting-agenda"),
    path("forums/meetings/<int:pk>/decisions/new/", meeting_views.decision_add, name="meeting-decision-add"),
    path("forums/meetings/decisions/<int:pk>/edit/", meeting_views.decision_edit, name="decision-edit"),
    path("forums/meetings/<int:pk>/attendance/", meeting_views.attendance, name="meeting-attendance"),
    path("forums/meetings/<int:pk>/invitations/", meeting_views.invitations, name="meeting-invitations"),
    path("forums/<slug:slug>/", views.forum, name="forum"),
    path("forums/<slug:slug>/meetings.ics", views.forum_ical, name="forum-ical"),
    path("forums/<slug:slug>/meetings/new/", views.meeting_add, name="meeting-add"),
    path("projects/", views.projects, name="projects"),
    path("projects/<slug:slug>/", views.project, name="project"),
    path("partners/", views.partners, name="partners"),
    path("documents/", document_views.documents, name="documents"),
    path("documents/new/", document_views.document_add, name="document-add"),
    path("documents/<slug:slug>/", document_views.document, name="document"),
    path("documents/<slug:slug>/edit/", document_views.document_edit, name="document-edit"),
]
