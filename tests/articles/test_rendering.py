from articles.rendering import markdown_problems, render_article_body


def test_headings_get_ids_and_make_the_table_of_contents():
    rendered = render_article_body("# Top\n\n## Side effects [2]\n\n### Headache\n\n## Side effects\n")
    assert '<h2 id="top">Top</h2>' in rendered.html
    assert '<h2 id="side-effects">' in rendered.html and '<h2 id="side-effects-2">' in rendered.html
    assert '<h3 id="headache">Headache</h3>' in rendered.html
    assert rendered.toc == [
        {"level": 2, "id": "top", "title": "Top"},
        {"level": 2, "id": "side-effects", "title": "Side effects"},
        {"level": 3, "id": "headache", "title": "Headache"},
        {"level": 2, "id": "side-effects-2", "title": "Side effects"},
    ]
    assert "<h1" not in rendered.html


def test_citations_link_to_the_reference_list_but_not_inside_code_or_links():
    rendered = render_article_body("Trials disagree [1][3]. Literal `[2]` and [a link [4]](https://example.org).")
    assert '<a href="#ref-1" class="citation-link"' in rendered.html
    assert '<a href="#ref-3" class="citation-link"' in rendered.html
    assert "<code>[2]</code>" in rendered.html
    assert "#ref-4" not in rendered.html and "#ref-2" not in rendered.html
    assert rendered.citations == {1, 3}


def test_plain_text_and_reading_time_are_derived():
    rendered = render_article_body("## Title\n\n" + "word " * 450)
    assert rendered.text.startswith("Title word word")
    assert "<" not in rendered.text
    assert rendered.reading_minutes == 3


def test_raw_html_is_text_in_the_output_and_a_problem_for_the_editor():
    body = "Hello <script>alert(1)</script> and <b>bold</b>"
    assert "<script>" not in render_article_body(body).html
    (problem,) = markdown_problems(body)
    assert "HTML is not allowed" in problem and "<script>" in problem


def test_unclosed_code_block_and_images_are_problems():
    problems = markdown_problems("![chart](https://example.org/x.png)\n\n```\ncode never closed\n")
    assert any("never closed" in problem for problem in problems)
    assert markdown_problems("![chart](https://example.org/x.png)") == [
        "Images are not supported in article bodies; describe the image in words or link to it."
    ]


def test_citation_without_a_reference_is_a_problem():
    (problem,) = markdown_problems("As shown [1] and [3].", reference_positions={1, 2})
    assert problem.startswith("The body cites [3], but there are only 2 references.")
    assert markdown_problems("As shown [1] and [2].", reference_positions={1, 2}) == []
