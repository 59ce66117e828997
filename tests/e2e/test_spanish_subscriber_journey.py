"""A parent who reads Spanish, in headless Chromium against the live server and the real SMTP server:
subscribes choosing Spanish → a Spanish confirmation email → confirms → changes grade and frequency
on the settings page → unsubscribes → reopens the link. Every page after the choice is Spanish."""

import re

import pytest

from alerts.models import Subscription
from tests.alerts.factories import SchoolFactory
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBSCRIBER = "familia@example.net"


def assert_spanish_page(page, heading: str) -> None:
    """`<html lang="es">`, the page's own Spanish heading, and no serious axe-core violation."""
    page.get_by_role("heading", name=heading, level=1).wait_for()
    assert page.locator("html").get_attribute("lang") == "es"
    assert_accessible(page)


def test_a_spanish_subscriber_gets_every_page_and_email_in_spanish(page, mail_server):
    SchoolFactory(name="Escuela Cervantes", slug="escuela-cervantes", city="Valle Verde")

    page.goto("/alerts/subscribe/?school=escuela-cervantes")
    page.get_by_label("Email address").fill(SUBSCRIBER)
    page.get_by_label("You are").select_option("parent")
    page.get_by_label("Grade").select_option("2")
    page.get_by_label("Send alerts").select_option("immediate")
    page.get_by_label("Language of the emails").select_option("es")
    page.get_by_role("button", name="Subscribe", exact=True).click()
    assert_spanish_page(page, "Revise su correo")

    (confirmation,) = mail_server.wait_for(1)
    assert confirmation.recipients == [SUBSCRIBER]
    assert confirmation.subject == "Confirme las alertas de estreptococo de Escuela Cervantes"
    body = confirmation.body()
    assert "Alguien, esperamos que usted, pidió recibir alertas" in body
    assert 'lang="es"' in confirmation.body("html") and "Confirmar mis alertas" in confirmation.body("html")
    link = re.search(r"http://testserver(/alerts/confirm/\S+/)", body).group(1)

    page.goto(link)
    assert_spanish_page(page, "Confirme sus alertas")
    page.get_by_role("button", name="Confirmar mi suscripción").click()
    assert_spanish_page(page, "Sus alertas están activadas")
    assert page.get_by_role("status").first.inner_text().startswith("Gracias: desde ahora recibirá")
    assert Subscription.objects.get(email=SUBSCRIBER).status == Subscription.Status.ACTIVE

    page.get_by_role("link", name="Cambiar el grado de su hijo, la frecuencia y el idioma de estas alertas").click()
    assert_spanish_page(page, "Sus alertas de Escuela Cervantes")
    assert page.get_by_label("Grado").input_value() == "2"
    page.get_by_label("Grado").select_option(label="Grado 3")
    page.get_by_label("Enviar las alertas").select_option(label="Resumen diario")
    page.get_by_role("button", name="Guardar mis opciones").click()
    page.get_by_text("Guardado. Sus próximas alertas seguirán estas opciones.").wait_for()
    assert_spanish_page(page, "Sus alertas de Escuela Cervantes")
    subscription = Subscription.objects.get(email=SUBSCRIBER)
    assert (subscription.grade, subscription.delivery, subscription.language) == ("3", "digest", "es")

    page.get_by_role("link", name="Dejar de recibir estas alertas").click()
    assert_spanish_page(page, "Darse de baja")
    unsubscribe_url = page.url
    page.get_by_role("button", name="Darse de baja").click()
    assert_spanish_page(page, "Se ha dado de baja")
    assert Subscription.objects.get(email=SUBSCRIBER).status == Subscription.Status.UNSUBSCRIBED

    # The link opened again says it is done, with a way back, instead of the button.
    page.goto(unsubscribe_url)
    assert_spanish_page(page, "Se ha dado de baja")
    assert page.get_by_role("button", name="Darse de baja").count() == 0
    assert page.get_by_role("link", name="Suscribirse de nuevo").is_visible()
    assert len(mail_server.messages) == 1  # nothing but the confirmation was sent
