from django.urls import path, re_path

from obserwatorium.browse import views

app_name = "browse"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:name>/", views.table, name="table"),
    re_path(r"^(?P<name>[a-z-]+)\.(?P<fmt>[a-z]+(?:\.json)?)$", views.download, name="download"),
]
