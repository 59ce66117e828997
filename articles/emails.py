"""The weekly review-due email to editors (built here, sent by services.send_review_due_digest)."""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse


def send_review_due(*, editors, articles, today: date) -> int:
    """One message per editor (no editor sees another's address). Returns how many were sent."""
    rows = [
        {
            "title": article.title,
            "review_due": article.review_due,
            "overdue": article.review_due < today,
            "edit_url": settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk]),
            "page_url": settings.SITE_URL + article.get_absolute_url(),
        }
        for article in articles
    ]
    context = {"rows": rows, "today": today, "site_url": settings.SITE_URL}
    subject = f"[PANDAS Parent Network] {len(rows)} article review{'s' if len(rows) != 1 else ''} due"
    text = render_to_string("articles/email/review_due.txt", context)
    html = render_to_string("articles/email/review_due.html", context)
    messages = []
    for editor in editors:
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [editor.email])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
