from django.urls import path, register_converter

from obserwatorium.reports import edition_pages, views

app_name = "reports"


class SubjectConverter:
    """A report's subject: a TERYT code (2 to 7 digits)."""

    regex = "[0-9]{2,7}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class LanguageConverter:
    regex = "pl|en"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SubjectConverter, "subject")
register_converter(LanguageConverter, "language")


def _report_routes(prefix: str) -> list:
    """Drafts, publishing and the editions' permalinks of every report kind (`prefix`: with or without subject)."""
    return [
        path(f"{prefix}draft/", edition_pages.draft, name="draft"),
        path(f"{prefix}draft/<slug:section_key>/", edition_pages.draft_section, name="draft-section"),
        path(f"{prefix}publish/", edition_pages.publish, name="publish"),
        path(f"{prefix}editions/<int:number>/", edition_pages.edition, name="edition"),
        path(f"{prefix}editions/<int:number>.pdf", edition_pages.edition_pdf, name="edition-pdf"),
        path(f"{prefix}editions/<int:number>/<language:language>/", edition_pages.edition, name="edition-language"),
        path(f"{prefix}editions/<int:number>/<language:language>.pdf", edition_pages.edition_pdf,
             name="edition-language-pdf"),
    ]


urlpatterns = [
    path("", views.index, name="index"),
    path("annual/<int:year>/", views.annual, name="annual"),
    path("annual/<int:year>.pdf", views.annual_pdf, name="annual-pdf"),
    path("annual/<int:year>.docx", views.annual_docx, name="annual-docx"),
    path("monitoring/<int:year>/", views.monitoring, name="monitoring"),
    path("monitoring/<int:year>.pdf", views.monitoring_pdf, name="monitoring-pdf"),
    path("card/<str:teryt>/", views.card, name="card"),
    path("card/<str:teryt>.pdf", views.card_pdf, name="card-pdf"),
    path("annex/<str:teryt>/<int:year>/", views.annex, name="annex"),
    path("annex/<str:teryt>/<int:year>.pdf", views.annex_pdf, name="annex-pdf"),
    *_report_routes("<slug:kind>/<int:year>/"),
    *_report_routes("<slug:kind>/<int:year>/<subject:subject>/"),
]
