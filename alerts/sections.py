"""The alerts block of the home page: a GET form (no CSRF token, no cookie) that leads to sign-up."""


def home_section(request) -> dict:
    return {"template": "alerts/_home.html"}
