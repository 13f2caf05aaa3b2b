from django.urls import path

from obserwatorium.strategy import views

app_name = "strategy"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("actions/<int:pk>/", views.action, name="action"),
    path("actions/<int:pk>/progress/", views.action_progress, name="action-progress"),
    path("progress/upload/", views.progress_upload, name="progress-upload"),
]
