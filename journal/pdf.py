"""The clinician report as a PDF, made by WeasyPrint from the same HTML as the print view.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0); it is imported only here, so the
rest of the portal runs without it. It may fetch nothing: the report is self-contained (inline SVG,
one stylesheet read from disk), and a URL in it must never make the server open a connection.
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

STYLESHEET = "css/journal-report.css"


def _refuse(url: str, *args, **kwargs):
    raise ValueError("The journal report loads nothing from outside.")


def report_pdf(context: dict) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string("journal/report_document.html", context)
    stylesheet = CSS(filename=finders.find(STYLESHEET), url_fetcher=_refuse)
    return HTML(string=html, url_fetcher=_refuse).write_pdf(stylesheets=[stylesheet])
