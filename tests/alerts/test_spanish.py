"""A subscriber who chose Spanish gets every page and email of theirs in Spanish, labels included."""

import gettext
import html
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse

from alerts import emails, services, tokens
from alerts.models import Digest, Subscription
from tests.alerts.factories import ExposureReportFactory, SchoolFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

CATALOG = Path(settings.BASE_DIR) / "alerts" / "locale" / "es" / "LC_MESSAGES"
EMAILS = Path(settings.BASE_DIR) / "templates" / "alerts" / "email"
# Words that never occur in the Spanish of these pages: one left over means a sentence was not translated.
ENGLISH_WORDS = {
    "the", "your", "you", "this", "for", "and", "with", "again", "school", "alerts", "email", "link",
    "grade", "daily", "address", "stop", "change", "save", "choose", "find", "search", "there", "problem",
}  # fmt: skip


def main_text(response) -> str:
    """The visible words of the page's main content (the site's header and footer stay English)."""
    content = response.content.decode()
    main = content.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", main.split(">", 1)[1]).split()))


def assert_spanish(response, heading: str, title: str = "") -> None:
    content = response.content.decode()
    assert '<html lang="es">' in content
    assert response["Content-Language"] == "es" and type(response["Content-Language"]) is str  # WSGI needs str
    assert re.search(rf"<h1>\s*{re.escape(heading)}\s*</h1>", content), heading
    assert f"<title>{title or heading} · " in content
    text = main_text(response)
    english = sorted(set(re.findall(r"[a-z]+", text.lower())) & ENGLISH_WORDS)
    assert not english, f"English words {english} in: {text}"


@pytest.fixture
def spanish():
    school = SchoolFactory(name="Escuela Cervantes", slug="escuela-cervantes", city="Valle Verde")
    return SubscriptionFactory(school=school, language="es", grade="2")


def test_the_confirm_page_and_the_confirmed_page_are_spanish(client, spanish):
    Subscription.objects.filter(pk=spanish.pk).update(status=Subscription.Status.PENDING)
    url = reverse("alerts:confirm", args=[tokens.confirmation_token(spanish)])
    page = client.get(url)
    assert_spanish(page, "Confirme sus alertas")
    assert "Confirmar mi suscripción" in page.content.decode()

    confirmed = client.post(url)
    assert_spanish(confirmed, "Sus alertas están activadas")
    content = confirmed.content.decode()
    assert "Gracias: desde ahora recibirá" in content and "Busque la escuela" in content
    assert 'data-found-many="escuelas encontradas"' in content  # search-as-you-type speaks Spanish too
    manage_url = reverse("alerts:manage", args=[tokens.unsubscribe_token(spanish)])
    assert f'href="{manage_url}"' in content

    added = client.post(reverse("alerts:confirm_add_school", args=[url.split("/")[-2]]), {"school": "nowhere"})
    assert_spanish(added, "Sus alertas están activadas")
    assert "No conocemos esa escuela." in added.content.decode()


def test_the_manage_page_is_spanish_and_shows_the_grade_chosen(client, spanish):
    url = reverse("alerts:manage", args=[tokens.unsubscribe_token(spanish)])
    page = client.get(url)
    assert_spanish(page, "Sus alertas de Escuela Cervantes")
    content = page.content.decode()
    assert '<option value="2" selected>Grado 2</option>' in content
    assert '<option value="digest">Resumen diario</option>' in content
    assert "(opcional)" in content

    saved = client.post(url, {"grade": "", "delivery": "digest", "language": "es"})
    assert_spanish(saved, "Sus alertas de Escuela Cervantes")
    assert "Guardado. Sus próximas alertas seguirán estas opciones." in saved.content.decode()
    spanish.refresh_from_db()
    assert (spanish.grade, spanish.delivery) == ("", "digest")

    wrong = client.post(url, {"grade": "99", "delivery": "weekly", "language": "es"})
    assert_spanish(wrong, "Sus alertas de Escuela Cervantes")
    assert "Hay un problema" in wrong.content.decode() and "Escoja una opción válida" in wrong.content.decode()


def test_choosing_english_on_the_manage_page_answers_in_english(client, spanish):
    url = reverse("alerts:manage", args=[tokens.unsubscribe_token(spanish)])
    response = client.post(url, {"grade": "2", "delivery": "immediate", "language": "en"})
    assert '<html lang="en">' in response.content.decode() and b"Saved." in response.content


def test_unsubscribe_and_the_reopened_link_are_spanish(client, spanish):
    url = reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(spanish)])
    assert_spanish(client.get(url), "Darse de baja")
    done = client.post(url)
    assert_spanish(done, "Se ha dado de baja", title="Baja confirmada")
    again = client.get(url)
    assert_spanish(again, "Se ha dado de baja", title="Baja confirmada")
    assert "Suscribirse de nuevo" in again.content.decode()
    assert "<button" not in again.content.decode().split("<main", 1)[1]
    manage = client.get(reverse("alerts:manage", args=[tokens.unsubscribe_token(spanish)]))
    assert_spanish(manage, "Sus alertas de Escuela Cervantes")
    assert "Esta dirección ya no recibe alertas de esta escuela." in manage.content.decode()


def test_a_dead_link_is_spanish_where_the_subscriber_is_known(client, spanish):
    Subscription.objects.filter(pk=spanish.pk).update(status=Subscription.Status.PENDING)
    token = tokens.confirmation_token(spanish)
    with mock.patch("time.time", return_value=time.time() + 8 * 86400):
        expired = client.get(reverse("alerts:confirm", args=[token]))
    assert expired.status_code == 400
    assert_spanish(expired, "Este enlace no funciona")
    assert "más de 7 días" in expired.content.decode()

    Subscription.objects.filter(pk=spanish.pk).update(status=Subscription.Status.UNSUBSCRIBED)
    add_school = client.post(reverse("alerts:confirm_add_school", args=[token]), {"school": "escuela-cervantes"})
    assert add_school.status_code == 400
    assert_spanish(add_school, "Este enlace no funciona")

    unknown = client.get(reverse("alerts:confirm", args=["not-a-token"]))
    assert unknown.status_code == 400 and '<html lang="en">' in unknown.content.decode()
    assert b"older than 7 days" in unknown.content


def test_check_your_email_follows_the_language_chosen_in_the_form(client, django_capture_on_commit_callbacks):
    school = SchoolFactory()
    form = {"email": "familia@example.net", "school": school.slug, "role": "parent", "delivery": "immediate"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("alerts:subscribe"), {**form, "language": "es"})
    assert response["Location"] == reverse("alerts:subscribe_sent") + "?lang=es"
    assert_spanish(client.get(response["Location"]), "Revise su correo")
    english = client.get(reverse("alerts:subscribe_sent") + "?lang=xx")
    assert '<html lang="en">' in english.content.decode()
    assert english["Content-Language"] == "en" and type(english["Content-Language"]) is str


def test_a_spanish_page_leaves_the_next_page_english(client, spanish):
    client.get(reverse("alerts:manage", args=[tokens.unsubscribe_token(spanish)]))
    assert '<html lang="en">' in client.get("/alerts/").content.decode()


# --- Emails ---------------------------------------------------------------------------------------


def test_every_subscriber_email_has_a_spanish_version():
    english = {path.name for path in (EMAILS / "en").iterdir()}
    spanish = {path.name for path in (EMAILS / "es").iterdir()}
    # Exposure-report notices go to verified school contacts (members), who have no language setting.
    for_subscribers = {name for name in english if not name.startswith("contact_notice")}
    assert for_subscribers and for_subscribers <= spanish
    assert {"alert.html", "alert.txt", "alert_subject.txt", "confirm.txt", "digest.html"} <= for_subscribers


@pytest.mark.parametrize(
    ("language", "grade", "whole_school"), [("es", "Grado 2", "Toda la escuela"), ("en", "Grade 2", "Whole school")]
)
def test_grade_scope_and_kind_labels_are_in_the_subscribers_language(language, grade, whole_school, moderator):
    school = SchoolFactory(return_rule="12h")
    subscription = SubscriptionFactory(school=school, language=language, grade="2")
    report = ExposureReportFactory(school=school, scope="grade", scope_label="2", kind="scarlet")
    alert = services.approve_report(report=report, moderator=moderator)
    message = emails.alert_message(alert=alert, subscription=subscription)
    body = message.body + message.alternatives[0][0]
    assert grade in body and {"es": "Grade 2", "en": "Grado 2"}[language] not in body
    assert {"es": "escarlatina", "en": "scarlet fever"}[language] in body
    assert {"es": "12 horas con antibióticos", "en": "12 hours on antibiotics"}[language] in body

    whole = services.approve_report(report=ExposureReportFactory(school=school, kind="strep"), moderator=moderator)
    day = Digest(email=subscription.email, day=whole.window_end)
    digest = emails.digest_message(digest=day, items=[(subscription, [alert, whole])])
    for part in (digest.body, digest.alternatives[0][0]):
        assert grade in part and whole_school in part
        assert {"es": "Faringitis estreptocócica confirmada", "en": "Confirmed strep throat"}[language] in part
        assert "/alerts/manage/" in part  # every part links to the settings page


# --- The catalog ----------------------------------------------------------------------------------


def msgfmt() -> str:
    found = shutil.which("msgfmt")
    if found:
        return found
    message = "msgfmt not found: install it with `sudo apt-get install gettext` (Debian/Ubuntu)."
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def test_the_committed_mo_is_the_compiled_po(tmp_path):
    """Edit the .po, then run msgfmt (see the top of the .po): this fails while the .mo lags behind."""
    fresh = tmp_path / "django.mo"
    result = subprocess.run(
        [msgfmt(), "--check", "--statistics", "-o", str(fresh), str(CATALOG / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    with fresh.open("rb") as compiled, (CATALOG / "django.mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(compiled)._catalog
