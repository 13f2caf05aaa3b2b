from django.urls import path

from obserwatorium.history.views import record_history

app_name = "history"

# Mounted at /history/: one page for every tracked record, named by its app and model.
urlpatterns = [
    path("<str:app_label>/<str:model>/<int:pk>/", record_history, name="record"),
]
