"""Article bodies: Markdown to safe HTML with heading ids (for the table of contents) and
numbered citations linked to the reference list; plus the checks an editor's text must pass.

Built on the portal's one renderer (`portal.markdown`): the same markdown-it parser and the same
nh3 allow-list, widened only by the ids and links that citations and headings need.
"""

import math
import re
from dataclasses import dataclass, field
from html import unescape

from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import ngettext
from markdown_it import MarkdownIt
from markdown_it.token import Token

from portal.markdown import _parser, sanitize_html

CITATION = re.compile(r"\[(\d{1,3})\]")
WORDS_PER_MINUTE = 200
EXTRA_ATTRIBUTES = {"h2": {"id"}, "h3": {"id"}, "a": {"id", "class"}, "sup": {"class"}}

# Only for checking: a parser that recognises raw HTML, so an editor can be told it would be dropped.
_html_finder = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass
class RenderedBody:
    html: str
    text: str
    toc: list[dict] = field(default_factory=list)
    citations: set[int] = field(default_factory=set)
    reading_minutes: int = 1


def render_article_body(markdown: str) -> RenderedBody:
    tokens = _parser.parse(markdown or "")
    toc: list[dict] = []
    citations: set[int] = set()
    used_ids: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"  # the page owns the one h1
        if token.type == "heading_open" and token.tag in ("h2", "h3"):
            inline = tokens[index + 1]
            title = CITATION.sub("", _plain_text(inline)).strip()
            anchor = _unique_id(slugify(title) or "section", used_ids)
            token.attrSet("id", anchor)
            toc.append({"level": int(token.tag[1]), "id": anchor, "title": title})
        if token.type == "inline" and token.children:
            token.children = _link_citations(token.children, citations)
    html = sanitize_html(_parser.renderer.render(tokens, _parser.options, {}), extra_attributes=EXTRA_ATTRIBUTES)
    text = " ".join(unescape(strip_tags(html)).split())
    minutes = max(1, math.ceil(len(text.split()) / WORDS_PER_MINUTE))
    return RenderedBody(html=html, text=text, toc=toc, citations=citations, reading_minutes=minutes)


def _plain_text(inline: Token) -> str:
    return "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline"))


def _unique_id(base: str, used: set[str]) -> str:
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    used.add(candidate)
    return candidate


def _link_citations(children: list[Token], citations: set[int]) -> list[Token]:
    """Turn `[n]` in plain text (never in code or link text) into a superscript link to #ref-n."""
    result: list[Token] = []
    in_link = 0
    for child in children:
        in_link += child.type == "link_open"
        in_link -= child.type == "link_close"
        if child.type != "text" or in_link or not CITATION.search(child.content):
            result.append(child)
            continue
        position = 0
        for match in CITATION.finditer(child.content):
            result.append(_text(child.content[position : match.start()]))
            number = int(match.group(1))
            citations.add(number)
            link = f'<sup class="citation"><a href="#ref-{number}" class="citation-link">[{number}]</a></sup>'
            result.append(Token("html_inline", "", 0, content=link))
            position = match.end()
        result.append(_text(child.content[position:]))
    return result


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def markdown_problems(markdown: str, *, reference_positions: set[int] | None = None) -> list[str]:
    """What is wrong with an editor's body, in words they can act on. Empty when it is fine."""
    problems = []
    fences = [line for line in (markdown or "").splitlines() if _FENCE.match(line)]
    if len(fences) % 2:
        problems.append("A code block opened with ``` is never closed: add a closing ``` line.")
    raw_html = sorted(
        {
            token.content.strip()[:40]
            for token in _walk(_html_finder.parse(markdown or ""))
            if token.type in ("html_block", "html_inline")
        }
    )
    if raw_html:
        problems.append(
            "HTML is not allowed in articles and would be removed: "
            + ", ".join(raw_html)
            + ". Use Markdown (## for headings, **bold**, [text](https://…) for links)."
        )
    if any(token.type == "image" for token in _walk(_parser.parse(markdown or ""))):
        problems.append("Images are not supported in article bodies; describe the image in words or link to it.")
    if reference_positions is not None:
        cited = render_article_body(markdown).citations
        missing = sorted(cited - reference_positions)
        if missing:
            listed = ", ".join(f"[{number}]" for number in missing)
            count = len(reference_positions)
            problems.append(
                ngettext(
                    "The body cites {listed}, but there is only {count} reference.",
                    "The body cites {listed}, but there are only {count} references.",
                    count,
                ).format(listed=listed, count=count)
                + " Add the reference or correct the citation."
            )
    return problems


def _walk(tokens: list[Token]):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)
