from django.urls import path

from obserwatorium.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
]
