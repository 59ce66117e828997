"""Classic cross-site scripting payloads, and a check that none of them can run on a page.

Used by every test that puts user or editor text on a page (articles, posts, stories).
"""

from html.parser import HTMLParser

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<a href=javascript:alert(1)>click</a>",
    "<a href='JaVaScRiPt:alert(1)'>click</a>",
    "<a href='&#106;avascript:alert(1)'>click</a>",
    "[click](javascript:alert(1))",
    "[click](  javascript:alert(1) )",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '![x](x" onerror="alert(1))',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href=javascript:alert(1)//>",
    '"><script>alert(1)</script>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    "<link rel=stylesheet href=//evil.example/x.css>",
    "`<script>`alert(1)`</script>`",
]

DANGEROUS_TAGS = {"script", "style", "iframe", "object", "embed", "form", "input", "button", "meta", "base", "link",
                  "svg", "math", "img", "details", "body"}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc", "xlink:href"}


class _ExecutableMarkupFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name == "style":
                self.found.append(f"<{tag} style>")
            if name in URL_ATTRIBUTES and (value.startswith("javascript:") or value.startswith("data:")):
                self.found.append(f"<{tag} {name}={value[:30]}>")


def executable_markup(html: str) -> list[str]:
    """Elements and attributes in `html` that could run script or restyle the page."""
    finder = _ExecutableMarkupFinder()
    finder.feed(html)
    return finder.found


def assert_no_executable_markup(html: str) -> None:
    found = executable_markup(html)
    assert not found, f"executable markup reached the page: {found}"


def user_content(html: str) -> str:
    """The page's <main>, where user content goes (the site's own header has a logout form and scripts)."""
    return html[html.index("<main") : html.index("</main>")]
