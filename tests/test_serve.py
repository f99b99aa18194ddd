"""``python build.py serve``: the live preview, its reloads and its supervisor."""

from __future__ import annotations

import html
import http.client
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from werkzeug.test import Client

from portal.app import DEFAULT_THEME, create_app
from portal.content import load_site
from portal.errors import ContentError
from portal.serve import Preview, ProcessService, ServiceError, Supervisor, WSGIService
from tests.conftest import NOW, ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Generous: a reload waits for the watcher's debounce on a busy machine.
WAIT = 30.0
EVENTS = "/__townsquare__/events"

ABOUT = """\
---
title: About us
menu: 1
---
We open at nine.
"""


class Served:
    """``build.py serve`` running as a subprocess, with its output collected."""

    def __init__(self, content: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "build.py"),
                "--content",
                content.name,
                "serve",
                *args,
            ],
            cwd=content.parent,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._lines: queue.Queue[str] = queue.Queue()
        self._readers = [
            threading.Thread(
                target=self._read, args=(self.process.stdout, self.stdout, True)
            ),
            threading.Thread(
                target=self._read, args=(self.process.stderr, self.stderr, False)
            ),
        ]
        for reader in self._readers:
            reader.start()
        self.url = self._wait_for_address()

    def _read(self, stream: Any, into: list[str], announce: bool) -> None:
        for line in stream:
            into.append(line)
            if announce:
                self._lines.put(line)

    def _wait_for_address(self) -> str:
        while True:
            try:
                line = self._lines.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError(
                    f"serve printed no address: {self.output}"
                ) from None
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if found:
                return found.group(0)

    @property
    def port(self) -> int:
        """Return the port the preview listens on."""
        return _port_of(self.url)

    @property
    def output(self) -> str:
        """Return everything printed so far, standard output then errors."""
        return "".join(self.stdout) + "".join(self.stderr)

    def interrupt(self) -> int:
        """Press Ctrl-C and return the exit code once everything has stopped."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(WAIT)
        for reader in self._readers:
            reader.join(WAIT)
        return code

    def stop(self) -> None:
        """Stop the command, however it is doing."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for reader in self._readers:
            reader.join(WAIT)


class EventStream:
    """A client of the preview's server-sent events, reading one event at a time."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        self.connection.request("GET", EVENTS)
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type", "").startswith(
            "text/event-stream"
        )

    def next(self) -> tuple[str, str]:
        """Return the name and data of the next event, skipping comments."""
        name, data = "message", ""
        while True:
            line = self.response.readline().decode()
            if not line:
                raise AssertionError("the event stream ended")
            line = line.rstrip("\n")
            if line == "" and data:
                return name, data
            if line.startswith("event:"):
                name = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                data = line.split(":", 1)[1].strip()

    def ended(self) -> bool:
        """Return whether the server closed the stream (rather than leaving it hanging)."""
        try:
            self.response.read()
        except (http.client.IncompleteRead, ConnectionError):
            pass
        except TimeoutError:
            return False
        return True

    def close(self) -> None:
        """Hang up."""
        self.connection.close()


@pytest.fixture()
def serve() -> Iterator[Callable[..., Served]]:
    """Return a function starting ``build.py serve`` on a free port; stop it afterwards."""
    started: list[Served] = []

    def start(content: Path, *args: str) -> Served:
        served = Served(content, "--port", "0", *args)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


def fetch(url: str) -> tuple[int, str]:
    """Return the status and text of one page, whatever its status."""
    try:
        with urllib.request.urlopen(url, timeout=WAIT) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def page_version(text: str) -> str:
    """Return the hub version a preview page was made from."""
    found = re.search(
        r'<script src="/__townsquare__/live-reload\.js"[^>]*data-version="([^"]+)"',
        text,
    )
    assert found, "the page carries no live-reload script"
    return found.group(1)


def test_serve_tells_the_open_page_to_reload_after_an_edit_and_shows_the_new_text(
    content: Path, write: Callable[[str, str], Path], serve: Callable[..., Served]
) -> None:
    about = write("pages/about.md", ABOUT)
    served = serve(content)
    status, text = fetch(served.url + "about/")
    assert status == 200
    assert "We open at nine." in text
    stream = EventStream(served.port)
    assert stream.next() == ("version", page_version(text))

    about.write_text(
        ABOUT.replace("We open at nine.", "We open at eight now."), encoding="utf-8"
    )

    name, version = stream.next()
    assert name == "reload"
    assert version != page_version(text)
    status, text = fetch(served.url + "about/")
    assert status == 200
    assert "We open at eight now." in text
    assert page_version(text) == version
    stream.close()


def test_serve_lists_content_problems_in_the_page_and_recovers_when_they_are_fixed(
    content: Path,
    write: Callable[[str, str], Path],
    serve: Callable[..., Served],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good = "---\ntitle: Book club\nstart: 2027-01-14 18:30\nend: 2027-01-14 20:00\n---\nWe read.\n"
    bad = good.replace("title: Book club\n", "").replace("20:00", "17:00")
    event = write("events/book-club.md", bad)
    monkeypatch.chdir(content.parent)
    with pytest.raises(ContentError) as raised:
        load_site(Path(content.name), include_drafts=True)
    problems = raised.value.lines()
    assert len(problems) == 2

    served = serve(content)
    status, text = fetch(served.url + "events/book-club/")
    assert status == 503
    assert "<h1>Fix 2 problems in the content to see the preview</h1>" in text
    for line in problems:
        assert line in html.unescape(text)
        assert line in served.output
    stream = EventStream(served.port)
    assert stream.next()[0] == "version"

    event.write_text(good, encoding="utf-8")

    assert stream.next()[0] == "reload"
    status, text = fetch(served.url + "events/book-club/")
    assert status == 200
    assert "Book club" in text
    assert served.process.poll() is None
    stream.close()


def test_ctrl_c_stops_serve_with_exit_code_0_and_no_traceback(
    content: Path, write: Callable[[str, str], Path], serve: Callable[..., Served]
) -> None:
    write("pages/about.md", ABOUT)
    served = serve(content)
    assert fetch(served.url + "about/")[0] == 200
    stream = EventStream(served.port)
    stream.next()

    assert served.interrupt() == 0

    assert "Traceback" not in served.output
    assert served.stdout[-1] == "Stopped.\n"
    assert stream.ended()
    assert _refuses(served.port)


def test_a_normal_build_carries_no_reload_script_and_no_event_endpoint(
    sample: Path, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    output = tmp_path / "public"
    result = run_cli(
        "--content",
        str(sample),
        "--now",
        NOW.isoformat(),
        "build",
        "--output",
        str(output),
    )
    assert result.exit_code == 0, result.output

    files = [path for path in output.resolve().rglob("*") if path.is_file()]
    assert any(path.suffix == ".html" for path in files)
    for path in files:
        assert "__townsquare__" not in str(path.relative_to(output.resolve()))
        assert "live-reload" not in path.name
        assert b"__townsquare__" not in path.read_bytes(), path

    client = create_app(load_site(sample, now=NOW)).test_client()
    assert client.get(EVENTS).status_code == 404
    assert client.get("/__townsquare__/live-reload.js").status_code == 404
    assert b"live-reload" not in client.get("/").data


def test_preview_shows_drafts_with_the_banner_and_refreshes_settings_after_reload(
    content: Path, write: Callable[[str, str], Path]
) -> None:
    write("pages/about.md", ABOUT.replace("menu: 1\n", "menu: 1\ndraft: true\n"))
    preview = Preview(content, echo=lambda line: None)
    client = Client(preview)
    text = client.get("/about/").get_data(as_text=True)
    assert "Preview: this draft is not in the public build." in text
    assert '<link rel="canonical" href="https://hub.example.org/about/">' in text

    settings = content / "site.toml"
    settings.write_text(
        settings.read_text().replace(
            "https://hub.example.org/", "https://moved.example.net/hub/"
        )
    )
    preview.reload([settings])

    text = client.get("/about/").get_data(as_text=True)
    assert '<link rel="canonical" href="https://moved.example.net/hub/about/">' in text


def test_preview_shows_a_broken_template_with_its_file_and_line(
    content: Path, write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    write("pages/about.md", ABOUT)
    theme = Path(shutil.copytree(DEFAULT_THEME, tmp_path / "theme"))
    page = theme / "templates" / "page.html"
    original = page.read_text()
    page.write_text(
        original.replace("{% block main %}", "{% block main %}\n{% if %}", 1)
    )
    preview = Preview(content, theme_dir=theme, echo=lambda line: None)
    client = Client(preview)

    response = client.get("/about/")

    assert response.status_code == 503
    text = html.unescape(response.get_data(as_text=True))
    assert re.search(r"theme/templates/page\.html:\d+: Expected an expression", text), (
        text
    )
    assert "/__townsquare__/live-reload.js" in text

    page.write_text(original)
    preview.reload([page])
    assert client.get("/about/").status_code == 200


def test_serve_without_reload_neither_injects_the_script_nor_watches(
    content: Path, write: Callable[[str, str], Path], serve: Callable[..., Served]
) -> None:
    write("pages/about.md", ABOUT)
    served = serve(content, "--no-reload")

    status, text = fetch(served.url + "about/")

    assert status == 200
    assert "We open at nine." in text
    assert "live-reload" not in text
    assert "watching" not in served.output


def test_serve_on_a_busy_port_says_so_and_exits_with_code_1(
    content: Path, run_cli: Callable[..., Any]
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("--content", str(content), "serve", "--port", str(port))

    assert result.exit_code == 1
    assert f"Error: hub cannot listen on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output


def _hello(environ: Any, start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


def _port_of(address: str) -> int:
    return int(address.rsplit(":", 1)[1].strip("/"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _refuses(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_supervisor_starts_services_in_order_says_where_each_is_and_stops_them_all(
    tmp_path: Path,
) -> None:
    port = _free_port()
    lines: list[str] = []
    supervisor = Supervisor(lines.append)
    web = WSGIService("hub", _hello, "127.0.0.1", 0)
    files = ProcessService(
        "files",
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
        f"http://127.0.0.1:{port}/",
        cwd=tmp_path,
    )
    supervisor.add(web)
    supervisor.add(files)

    supervisor.start_all()
    try:
        assert fetch(web.address) == (200, "hello")
        assert _wait_until(lambda: not _refuses(port))
        assert fetch(f"http://127.0.0.1:{port}/")[0] == 200
    finally:
        supervisor.stop_all()

    assert [line.split() for line in lines] == [
        ["hub", web.address],
        ["files", f"http://127.0.0.1:{port}/"],
    ]
    assert files.pid is not None
    assert _refuses(_port_of(web.address))
    assert _refuses(port)


def test_supervisor_stops_everything_when_one_service_stops_on_its_own() -> None:
    supervisor = Supervisor(lambda line: None)
    web = WSGIService("hub", _hello, "127.0.0.1", 0)
    supervisor.add(web)
    supervisor.add(
        ProcessService(
            "portal", [sys.executable, "-c", "raise SystemExit(3)"], "nowhere"
        )
    )

    with pytest.raises(
        ServiceError, match="portal stopped on its own with exit code 3"
    ):
        supervisor.run(poll=0.05)

    assert _refuses(_port_of(web.address))


def _wait_until(condition: Callable[[], bool]) -> bool:
    event = threading.Event()
    for _ in range(int(WAIT / 0.05)):
        if condition():
            return True
        event.wait(0.05)
    return False


@pytest.mark.browser
def test_open_page_in_chromium_reloads_itself_after_an_edit(
    content: Path,
    write: Callable[[str, str], Path],
    serve: Callable[..., Served],
    new_page: Callable[..., Page],
) -> None:
    about = write("pages/about.md", ABOUT)
    served = serve(content)
    page = new_page()
    page.goto(served.url + "about/")
    assert "We open at nine." in page.locator("main").inner_text()

    about.write_text(
        ABOUT.replace("We open at nine.", "We open at eight now."), encoding="utf-8"
    )

    page.wait_for_function(
        "() => document.querySelector('main').innerText.includes('We open at eight now.')",
        timeout=WAIT * 1000,
    )
