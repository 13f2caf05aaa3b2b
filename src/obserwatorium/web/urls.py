from django.urls import path, re_path

from obserwatorium.web import views
from obserwatorium.web.accessibility import accessibility_statement
from obserwatorium.web.sign_in import SignInView, SignOutView

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("domains.css", views.domain_styles, name="domain-styles"),
    path("domains/<slug:code>/", views.domain, name="domain"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/<slug:code>/", views.indicator, name="indicator"),
    path("units/", views.units, name="units"),
    path("units/<slug:slug>/", views.unit, name="unit"),
    path("accessibility/", accessibility_statement, name="accessibility"),
    path("compare/", views.compare, name="compare"),
    re_path(r"^compare/download\.(?P<fmt>csv|xlsx|json|parquet|metadata\.json)$", views.compare_download,
            name="compare-download"),
    path("sign-in/", SignInView.as_view(), name="sign-in"),
    path("sign-out/", SignOutView.as_view(), name="sign-out"),
]
