from articles.models import Article

HOME_ARTICLES = 3


def home_section(request) -> dict | None:
    """ "Latest articles" on the home page: one query."""
    articles = list(Article.objects.published().for_list().newest_first()[:HOME_ARTICLES])
    if not articles:
        return None
    return {"template": "articles/_home.html", "articles": articles}
