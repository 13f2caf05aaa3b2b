from django.urls import path

from obserwatorium.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("annual/<int:year>/", views.annual, name="annual"),
    path("annual/<int:year>.pdf", views.annual_pdf, name="annual-pdf"),
    path("card/<str:teryt>/", views.card, name="card"),
    path("card/<str:teryt>.pdf", views.card_pdf, name="card-pdf"),
    path("annex/<str:teryt>/<int:year>/", views.annex, name="annex"),
    path("annex/<str:teryt>/<int:year>.pdf", views.annex_pdf, name="annex-pdf"),
]
