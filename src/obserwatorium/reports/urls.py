from django.urls import path

from obserwatorium.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("annual/<int:year>/", views.annual, name="annual"),
    path("annual/<int:year>.pdf", views.annual_pdf, name="annual-pdf"),
    path("monitoring/<int:year>/", views.monitoring, name="monitoring"),
    path("monitoring/<int:year>.pdf", views.monitoring_pdf, name="monitoring-pdf"),
]
