"""A field editor's QTextDocument as the small HTML a field stores.

Qt's own `toHtml()` writes a whole styled document; a field wants only what the editor offers:
bold, italic, underline, strike-through, sub- and superscript, text colour, links, images,
bulleted and numbered lists, and line breaks between paragraphs.  Anything else (fonts, margins,
tables) is reduced to its text.
"""

from __future__ import annotations

import html

from PySide6.QtGui import (
    QFont,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
    QTextFormat,
    QTextList,
    QTextListFormat,
)

_OBJECT = "\ufffc"
_LINE_SEPARATOR = "\u2028"
_ORDERED = frozenset(
    {
        QTextListFormat.Style.ListDecimal,
        QTextListFormat.Style.ListLowerAlpha,
        QTextListFormat.Style.ListUpperAlpha,
        QTextListFormat.Style.ListLowerRoman,
        QTextListFormat.Style.ListUpperRoman,
    }
)


def _wrap(text: str, fmt: QTextCharFormat) -> str:
    if fmt.fontWeight() > QFont.Weight.Medium:
        text = f"<b>{text}</b>"
    if fmt.fontItalic():
        text = f"<i>{text}</i>"
    if fmt.fontUnderline() and not fmt.isAnchor():
        text = f"<u>{text}</u>"
    if fmt.fontStrikeOut():
        text = f"<s>{text}</s>"
    alignment = fmt.verticalAlignment()
    if alignment == QTextCharFormat.VerticalAlignment.AlignSuperScript:
        text = f"<sup>{text}</sup>"
    elif alignment == QTextCharFormat.VerticalAlignment.AlignSubScript:
        text = f"<sub>{text}</sub>"
    if fmt.hasProperty(QTextFormat.Property.ForegroundBrush) and not fmt.isAnchor():
        color = fmt.foreground().color()
        if color.isValid():
            text = f'<span style="color: {color.name()}">{text}</span>'
    if fmt.isAnchor() and fmt.anchorHref():
        text = f'<a href="{html.escape(fmt.anchorHref(), quote=True)}">{text}</a>'
    return text


def _inline(block: QTextBlock) -> str:
    parts: list[str] = []
    fragments = block.begin()
    while not fragments.atEnd():
        fragment = fragments.fragment()
        fmt = fragment.charFormat()
        if fmt.isImageFormat():
            name = html.escape(fmt.toImageFormat().name(), quote=True)
            parts.append(f'<img src="{name}">' * fragment.text().count(_OBJECT))
        else:
            text = html.escape(fragment.text().replace(_OBJECT, ""), quote=False)
            parts.append(_wrap(text.replace(_LINE_SEPARATOR, "<br>"), fmt) if text else "")
        fragments += 1
    return "".join(parts)


def document_html(document: QTextDocument) -> str:
    """The document as field HTML (empty for an empty document)."""
    parts: list[str] = []
    open_list: tuple[int, str] | None = None
    after_paragraph = False
    block = document.begin()
    while block.isValid():
        text_list: QTextList | None = block.textList()
        if text_list is not None:
            tag = "ol" if text_list.format().style() in _ORDERED else "ul"
            key = (text_list.objectIndex(), tag)
            if open_list != key:
                if open_list is not None:
                    parts.append(f"</{open_list[1]}>")
                parts.append(f"<{tag}>")
                open_list = key
            parts.append(f"<li>{_inline(block)}</li>")
            after_paragraph = False
        else:
            if open_list is not None:
                parts.append(f"</{open_list[1]}>")
                open_list = None
            elif after_paragraph:
                parts.append("<br>")
            parts.append(_inline(block))
            after_paragraph = True
        block = block.next()
    if open_list is not None:
        parts.append(f"</{open_list[1]}>")
    result = "".join(parts)
    return "" if not result.replace("<br>", "").strip() and "<img" not in result else result
