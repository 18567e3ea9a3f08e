"""Sanitizing card HTML before it is shown.

Cards come from files other people made, so their HTML is untrusted. What survives is ordinary
formatting, plus images and links that name files in the collection's media folder. Removed: every
URL with a scheme (http, https, data, javascript, file, ...), scheme-relative `//host/...` URLs,
absolute paths and `..`; scripts, event handlers, `<style>` blocks (the note type's CSS is applied
separately), frames, objects, forms and inputs; `url(...)` in style attributes. Math written for
MathJax (`\\(...\\)`, `\\[...\\]`) or LaTeX (`[latex]...[/latex]`) is plain text and passes through.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "b", "blockquote", "br", "code", "div", "em", "font", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "i", "img", "li", "ol", "p", "pre", "rp", "rt", "ruby", "s", "span", "strong",
        "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"class", "style", "dir", "lang"}),
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "font": frozenset({"color", "face", "size"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align"}),
}

# Removed together with everything inside them.
_REMOVED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "textarea", "select", "template"}
)

_UNSAFE_CSS = re.compile(r"url\s*\(|expression\s*\(|@import|\\", re.IGNORECASE)


def _relative_url(url: str) -> str | None:
    """Keep media file names; drop absolute paths, `..` and `//host/...` URLs."""
    path = url.strip().replace("\\", "/")
    if path.startswith("/") or ".." in path.split("/"):
        return None
    return url


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        declarations = [d for d in value.split(";") if d.strip() and not _UNSAFE_CSS.search(d)]
        return ";".join(declarations) if declarations else None
    return value


MARKUP_CHARACTERS = "<>&\u00a0"
"""Text with none of these characters has no markup, entity or character the sanitizer would
change, so it is returned as it is (most imported fields are plain text)."""
_NEEDS_CLEANING = re.compile(f"[{MARKUP_CHARACTERS}]")
_ATTRIBUTES = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}


def sanitize_card_html(html: str) -> str:
    """Return `html` with everything but safe formatting and media-folder references removed."""
    if _NEEDS_CLEANING.search(html) is None:
        return html
    return _cleaner().clean(html)


@cache
def _cleaner() -> nh3.Cleaner:
    """The sanitizer, built once like a compiled pattern (building it costs more than most
    cleanings); nh3 is imported on first use, to keep start-up fast."""
    import nh3

    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_REMOVED_WITH_CONTENT),
        attributes=_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        strip_comments=True,
        link_rel=None,
        url_schemes=set(),
        url_relative=_relative_url,
    )
