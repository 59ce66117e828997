"""Search snippets read as words, not Markdown, and stay escaped."""

from portal.search import HEADLINE_START, HEADLINE_STOP, safe_snippet


def test_markdown_marks_leave_the_snippet_and_links_keep_their_words():
    text = (
        f"> **Night Owl Mum** wrote:\n> We tried [{HEADLINE_START}IVIG{HEADLINE_STOP}](https://x.example/a) and `ERP`"
    )
    snippet = safe_snippet(text)
    assert snippet == "Night Owl Mum wrote:\nWe tried <mark>IVIG</mark> and ERP"


def test_snippets_stay_escaped():
    assert safe_snippet("<script>alert(1)</script> **bold**") == "&lt;script&gt;alert(1)&lt;/script&gt; bold"
