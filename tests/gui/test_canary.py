"""Nothing in a card reaches the network: a canary HTTP server on 127.0.0.1 must hear nothing
while the reviewer shows cards whose fields and CSS point at it."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from studyapp.gui.launch import Gui
from studyapp.services.container import Services
from studyapp.services.notes import NoteDraft

MakeGui = Callable[..., Gui]
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


class Canary(ThreadingHTTPServer):
    """Counts every connection made to it and answers any GET with a tiny PNG."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections = 0
        self.paths: list[str] = []

    def verify_request(self, request: Any, client_address: Any) -> bool:
        self.connections += 1
        return True

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Canary

    def do_GET(self) -> None:  # the name http.server looks for
        self.server.paths.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads `paths` instead."""


@pytest.fixture
def canary() -> Iterator[Canary]:
    server = Canary()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def card_pointing_at(base: str) -> tuple[str, str, str]:
    """Front, back and note type CSS that name the canary in every way a card can."""
    front = (
        f'<img src="{base}/img.png"> <img src="//{base[7:]}/schemeless.png">'
        f' <img srcset="{base}/srcset.png 2x" src="{base}/img2.png">'
        f' <audio src="{base}/audio.mp3" autoplay controls></audio>'
        f' <video src="{base}/video.mp4" poster="{base}/poster.png"></video>'
        f' <a href="{base}/link">a link</a>'
        f' <span style="background-image: url({base}/inline.png)">styled</span>'
        f' <link rel="stylesheet" href="{base}/link.css">'
        f' <iframe src="{base}/frame"></iframe> <object data="{base}/object"></object>'
        f' <embed src="{base}/embed"> <input type="image" src="{base}/input.png">'
        f' <table background="{base}/table.png"><tr><td>cell</td></tr></table>'
        f" [sound:{base}/sound.mp3]"
    )
    back = (
        f"<style>@import url({base}/import.css); b {{ background: url({base}/style.png) }}</style>"
        f'<svg><image href="{base}/svg.png"/></svg>'
        f'<div style="background: url(&quot;{base}/quoted.png&quot;)">quoted</div>'
        f'<img src="{base}/back.png" onerror="fetch(\'{base}/script\')">'
        f'<form action="{base}/form"><button>send</button></form>'
        f"<script>fetch('{base}/script')</script> answer"
    )
    css = (
        f"@import url({base}/css-import.css);\n"
        f".card {{ background-image: url({base}/css.png); }}\n"
        f"@font-face {{ font-family: Canary; src: url({base}/font.woff); }}\n"
    )
    return front, back, css


def test_cards_never_fetch_from_the_network(
    qtbot: QtBot, make_gui: MakeGui, services: Services, canary: Canary
) -> None:
    front, back, css = card_pointing_at(canary.base)
    basic = next(u.note_type for u in services.note_types.usage() if u.note_type.name == "Basic")
    services.note_types.set_css(basic.id, css)
    deck = services.decks.create("Canary")
    services.notes.add(NoteDraft(basic.id, deck.id, (front, back)))

    gui = make_gui()
    with qtbot.waitSignal(gui.reviewer.counts_changed):
        gui.window.study(deck.id)
    page = gui.window.reviewer
    assert "styled" in page.browser.toPlainText()
    assert canary.base[7:] in page.browser.document().defaultStyleSheet()  # the CSS is in use
    qtbot.wait(300)
    with qtbot.waitSignal(gui.reviewer.answer_revealed):
        page.show_answer_button.click()
    assert "answer" in page.browser.toPlainText()
    page.browser.anchorClicked.emit(QUrl(f"{canary.base}/link"))  # as if the link were clicked
    for index in range(len(page.browser.sounds)):
        page.browser.anchorClicked.emit(QUrl(f"sound:{index}"))  # every play button
    qtbot.wait(500)

    assert (canary.connections, canary.paths) == (0, [])
    with urllib.request.urlopen(f"{canary.base}/control", timeout=5) as response:
        assert response.read() == PNG  # the canary does hear a real request
    assert (canary.connections, canary.paths) == (1, ["/control"])
