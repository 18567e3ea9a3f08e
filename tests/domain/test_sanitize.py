"""Card HTML sanitizing: formatting survives, anything active or remote does not."""

from __future__ import annotations

import pytest

from studyapp.domain.sanitize import sanitize_card_html


def test_ordinary_formatting_survives() -> None:
    html = (
        '<div class="x" dir="rtl" lang="ar"><b>b</b><i>i</i><u>u</u><s>s</s><em>e</em>'
        "<strong>st</strong><sub>1</sub><sup>2</sup><br><hr><p>p</p>"
        "<ul><li>l</li></ul><ol><li>o</li></ol><h1>h</h1><h6>h6</h6>"
        "<table><thead><tr><th>t</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>"
        '<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby><font color="red">f</font>'
        "<code>c</code><pre>pre</pre><blockquote>q</blockquote></div>"
    )
    assert sanitize_card_html(html) == html


def test_style_and_class_attributes_survive() -> None:
    html = '<span class="cloze" style="color: red">x</span>'
    assert sanitize_card_html(html) == html


def test_scripts_and_event_handlers_are_removed() -> None:
    cleaned = sanitize_card_html('<b onclick="steal()">hi</b><script>alert(1)</script>')
    assert cleaned == "<b>hi</b>"


def test_style_blocks_are_removed_with_their_content() -> None:
    assert sanitize_card_html("<style>.card { color: red }</style>text") == "text"


@pytest.mark.parametrize(
    "html",
    [
        "<iframe src='a.html'>x</iframe>",
        "<object data='a.swf'>x</object>",
        "<embed src='a.swf'>",
        "<form action='x'><input value='1'><button>go</button></form>",
    ],
)
def test_frames_objects_and_forms_are_removed(html: str) -> None:
    cleaned = sanitize_card_html(html)
    for tag in ("iframe", "object", "embed", "form", "input", "button"):
        assert f"<{tag}" not in cleaned


def test_media_file_names_are_kept() -> None:
    html = '<img src="heart.png"><img src="sub/my%20image.jpg"><a href="notes.html">n</a>'
    assert sanitize_card_html(html) == html


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/a.png",
        "https://example.com/a.png",
        "data:image/png;base64,AAAA",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "file:///etc/passwd",
        "//example.com/a.png",
        "/etc/passwd",
        "../outside.png",
        "media/../../outside.png",
    ],
)
def test_urls_outside_the_media_folder_are_removed(url: str) -> None:
    cleaned = sanitize_card_html(f'<img src="{url}"><a href="{url}">link</a>')
    assert cleaned == "<img><a>link</a>"


def test_css_urls_are_removed_from_style_attributes() -> None:
    cleaned = sanitize_card_html(
        '<span style="color: red; background: url(http://example.com/t.png)">x</span>'
    )
    assert cleaned == '<span style="color: red">x</span>'


def test_math_source_stays_plain_text() -> None:
    html = r"\(x^2 &lt; y\) and \[\frac{a}{b}\] and [latex]$e^{i\pi}$[/latex]"
    assert sanitize_card_html(html) == html


def test_comments_are_removed() -> None:
    assert sanitize_card_html("a<!-- secret -->b") == "ab"


@pytest.mark.parametrize(
    "text",
    ["plain words", "quotes \" and ' stay", "émoji 🎉 and ünïcode", "a\nb\tc", "  spaces  ", ""],
)
def test_plain_text_passes_through_exactly_as_nh3_would_leave_it(text: str) -> None:
    import nh3

    assert sanitize_card_html(text) == text == nh3.clean(text)
