from django.urls import path, re_path
from django.views.generic import RedirectView

from obserwatorium.insights import views

app_name = "insights"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="insights:rankings"), name="index-page"),
    path("rankings/", views.rankings, name="rankings"),
    path("comparison/", views.comparison, name="comparison"),
    path("aggregates/", views.aggregates, name="aggregates"),
    path("indices/", views.index_list, name="indices"),
    path("indices/<slug:code>/", views.index_detail, name="index"),
    path("progress/", views.progress, name="progress"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/datapackage.zip", views.datapackage, name="datapackage"),
    re_path(r"^download/(?P<name>[a-z]{1,20})\.(?P<fmt>csv|xlsx|json|parquet|geojson|metadata\.json)$",
            views.download, name="download"),
]
