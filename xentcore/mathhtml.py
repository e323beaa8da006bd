"""Markdown with LaTeX math → safe, self-contained HTML (math as MathML, no script, no CDN).

Used for student answers (untrusted: raw HTML in them is escaped, never passed
through), model answers, rubrics and quiz text. MathML renders natively in
current browsers, so pages open offline with nothing to load.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

_MATH = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\\\((.+?)\\\)|(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$",
                   re.DOTALL)
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


MATHML_TAGS = {"math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup", "mfrac",
               "msqrt", "mroot", "mover", "munder", "munderover", "mstyle", "mtable", "mtr", "mtd", "mpadded",
               "mphantom", "menclose", "semantics", "annotation", "merror", "mmultiscripts", "mprescripts", "none"}
MATHML_ATTRS = {"xmlns", "display", "mathvariant", "stretchy", "accent", "accentunder", "fence", "separator",
                "lspace", "rspace", "width", "height", "depth", "linethickness", "displaystyle", "scriptlevel",
                "columnalign", "rowspacing", "columnspacing", "notation", "minsize", "maxsize", "symmetric",
                "form", "movablelimits", "encoding", "class", "columnlines", "rowlines", "frame"}


class _MathSanitizer(HTMLParser):
    """Rebuild converter output keeping only MathML elements and attributes; all text is escaped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in MATHML_TAGS:
            kept = "".join(f' {k}="{html.escape(v or "", quote=True)}"' for k, v in attrs if k in MATHML_ATTRS)
            self.out.append(f"<{tag}{kept}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in MATHML_TAGS:
            self.out.append(f"</{tag}>")

    def handle_endtag(self, tag):
        if tag in MATHML_TAGS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(html.escape(data, quote=False))


# Operator names (\\ln, \\log, ...) come out as <mi>ln</mi> with nothing after: browsers then set "ln x" with
# no gap. TeX puts a thin space between an operator name and an ordinary atom (not before a bracket).
_OPERATOR_NAMES = ("ln", "log", "exp", "lg", "sin", "cos", "tan", "max", "min", "arg", "argmax", "argmin", "det",
                   "lim", "sup", "inf", "Pr", "var", "Var", "cov", "Cov", "sgn", "tanh", "sinh", "cosh")
_OPERATOR_THEN_ATOM = re.compile(
    r"((?<!<msub>)(?<!<msup>)(?<!<msubsup>)<mi>(?:{0})</mi>|<msub><mi>(?:{0})</mi>(?:<m[in]>[^<]*</m[in]>|<mrow>(?:<m[in]>[^<]*</m[in]>)+</mrow>)</msub>)"
    r"(?=<(?:mi|mn|mrow|msub|msup|msubsup|mfrac|msqrt|mover|munder)[ >])".format("|".join(_OPERATOR_NAMES)))
THIN_SPACE = '<mspace width="0.1667em"></mspace>'
# f' comes out as <msup><mi>f</mi><mi>′</mi></msup>: a prime set at script size, tiny beside its base. The
# prime characters are already raised glyphs, so they are set at the base's size, right after it.
_PRIMED = re.compile(r"<msup>(<m[in](?: [^>]*)?>[^<]*</m[in]>)<mi>((?:&#x0203[234];|[′″‴])+)</mi></msup>")


def _typeset_like_tex(mathml: str) -> str:
    mathml = _OPERATOR_THEN_ATOM.sub(lambda m: m.group(1) + THIN_SPACE, mathml)
    return _PRIMED.sub(lambda m: f'<mrow>{m.group(1)}<mo lspace="0" rspace="0">{m.group(2)}</mo></mrow>', mathml)


def latex_to_mathml(latex: str, *, display: bool) -> str:
    from latex2mathml.converter import convert

    try:
        converted = _typeset_like_tex(convert(latex.strip(), display="block" if display else "inline"))
    except Exception:  # noqa: BLE001 - the converter raises many kinds on unsupported input
        return f'<code class="tex">{html.escape(latex)}</code>'
    sanitizer = _MathSanitizer()
    sanitizer.feed(converted)
    sanitizer.close()
    return "".join(sanitizer.out)


def render(markdown: str) -> str:
    """HTML for Markdown text whose math is in $…$, $$…$$, \\(…\\) or \\[…\\]."""
    pieces: list[str] = []

    def stash(match: re.Match) -> str:
        display = match.group(1) is not None or match.group(2) is not None
        latex = next(g for g in match.groups() if g is not None)
        pieces.append(latex_to_mathml(latex, display=display))
        return f"XMATHX{len(pieces) - 1}XMATHX"

    text = _MATH.sub(stash, markdown or "")
    rendered = _MD.render(text)
    return re.sub(r"XMATHX(\d+)XMATHX", lambda m: pieces[int(m.group(1))], rendered)


PAGE_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; color: #1f2933; line-height: 1.45; }
h1, h2, h3 { color: #102a43; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #bcccdc; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f0f4f8; }
img.plot { max-width: 100%; border: 1px solid #d9e2ec; margin: 0.5rem 0; }
.plot-with-data { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
.plot-with-data img.plot { flex: 0 1 auto; min-width: 0; }
ul.labels { margin: 0; padding-left: 1.1rem; }
.warning { background: #fff3c4; border-left: 4px solid #f0b429; padding: 0.5rem 1rem; }
.answer, .model { border: 1px solid #d9e2ec; padding: 0.5rem 1rem; border-radius: 4px; }
.model { background: #f0fff4; }
code.tex { color: #8d2b0b; }
math[display="block"] { margin: 0.5rem 0; }
"""


def page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n<body>\n"
            f"{body}\n</body>\n</html>\n")
