from django.urls import path

from obserwatorium.collection import views

app_name = "collection"

urlpatterns = [
    path("", views.request_list, name="requests"),
    path("new/", views.request_new, name="request-new"),
    path("<int:pk>/", views.request_detail, name="request"),
    path("<int:pk>/remind/", views.request_remind, name="request-remind"),
    path("<int:pk>/close/", views.request_close, name="request-close"),
    path("<int:pk>/gmina/<str:teryt>/", views.submission_grid, name="grid"),
    path("<int:pk>/gmina/<str:teryt>/reopen/", views.submission_reopen, name="submission-reopen"),
    path("<int:pk>/gmina/<str:teryt>/accept/", views.submission_accept, name="submission-accept"),
]
