"""Search input goes to PostgreSQL as parameters of websearch_to_tsquery/plainto_tsquery, never
spliced into a tsquery string."""

import pytest
from django.urls import reverse

from tests.articles.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_word_close_to_a_link_with_an_apostrophe_in_an_article_gets_a_results_page(client):
    # The near-match search builds its query from the articles' own lexemes; this link is one.
    make_article(body="Read example.org/o'sullivanclinic about tonsils [1].\n")
    response = client.get(reverse("search"), {"q": "sullivanclinic"})
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["o'", "'&|!:*", "tonsil's & (", "-", '"unbalanced'])
def test_search_operators_in_the_query_are_words_not_syntax(client, query):
    make_article(body="Tonsils and strep [1].\n")
    assert client.get(reverse("search"), {"q": query}).status_code == 200
