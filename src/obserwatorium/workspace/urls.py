from django.urls import path

from obserwatorium.workspace import views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
]
