from django.urls import path

from obserwatorium.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("domains.css", views.domain_styles, name="domain-styles"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/<slug:code>/", views.indicator, name="indicator"),
    path("units/", views.units, name="units"),
    path("units/<slug:slug>/", views.unit, name="unit"),
]
