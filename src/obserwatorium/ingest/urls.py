from django.urls import path

from obserwatorium.ingest import views

app_name = "ingest"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("report/", views.report, name="report"),
    path("batches/<int:pk>/", views.batch, name="batch"),
]
