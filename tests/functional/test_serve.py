"""``kiosk serve``: the kiosk in a real browser, one kiosk process per page, gone with the page.

The browser tests start ``kiosk serve`` on a free port of 127.0.0.1 and drive Debian's headless
Chromium (``/usr/bin/chromium``; ``make test`` installs it) with Playwright, without ever
downloading a browser of Playwright's own. They tap through the self-check with touch events
like a visitor on a touchscreen.

The page draws the terminal with xterm.js on a canvas, and xterm.js keeps no text in the DOM
unless its screen-reader mode is on (textual-serve leaves it off). So the tests read the screen
from xterm.js's own buffer: a small script, added before the page loads, catches the
``Terminal`` object when textual.js stores it (``this.terminal = new Terminal(...)``).
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright
from textual_serve.download_manager import DownloadManager

from kiosk import FRAMES_PER_SECOND, cli
from kiosk.app import KioskApp
from kiosk.cli import main
from kiosk.system import serve, webenv
from kiosk.system.serve import HOST, kiosk_command
from kiosk.system.webenv import WEB_DRIVER, web_driver_variables

ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = ROOT / "kiosk.toml"
#: ``kiosk serve``, as the tests start it (add ``--port``).
SERVE = [sys.executable, "-m", "kiosk", "--config", str(CONFIG_FILE), "serve"]
CHROMIUM = Path("/usr/bin/chromium")
#: Offline and quiet: no first-run dialogs, no background requests, no QUIC, no GPU.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed (/usr/bin/chromium); "
    "`make test` installs it with apt-get (chromium chromium-driver)",
)

#: Catches xterm.js's Terminal when textual.js assigns it, as window.__kioskTerminal.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    if (value && value.buffer && value.buffer.active && !window.__kioskTerminal) {
      window.__kioskTerminal = value;
    }
  },
});
"""
READ_SCREEN = """() => {
  const terminal = window.__kioskTerminal, buffer = terminal.buffer.active, rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    rows.push(buffer.getLine(buffer.viewportY + y).translateToString(true));
  }
  return rows;
}"""
SCREEN_GEOMETRY = """() => {
  const box = document.querySelector(".xterm-screen").getBoundingClientRect();
  return [box.x, box.y, box.width, box.height,
          window.__kioskTerminal.cols, window.__kioskTerminal.rows];
}"""
#: Vertical edges of a button's box, and the focus markers beside a focused button's label.
EDGES = "│┃▊▎▌▐"
MARKERS = " ▶◀"


# -- the child's environment (no browser needed) ------------------------------------------------


def test_served_kiosk_keeps_only_the_web_driver_variables() -> None:
    environ = {
        # What textual-serve's AppService sets (and, in its debug mode, TEXTUAL and TEXTUAL_LOG).
        "TEXTUAL_DRIVER": WEB_DRIVER,
        "TEXTUAL_FPS": "60",
        "TEXTUAL_COLOR_SYSTEM": "truecolor",
        "TEXTUAL": "debug,devtools",
        "TEXTUAL_LOG": "textual.log",
        "TEXTUAL_SCREENSHOT": "1",
        "TEXTUAL_PRESS": "3,y",
        "TEXTUAL_DEVTOOLS_HOST": "10.0.0.1",
    }
    assert web_driver_variables(environ) == {
        "TEXTUAL_DRIVER": WEB_DRIVER,
        "TEXTUAL_FPS": "60",
        "TEXTUAL_COLOR_SYSTEM": "truecolor",
    }


@pytest.mark.parametrize(("given", "expected"), [("60", "60"), (None, str(FRAMES_PER_SECOND))])
def test_served_kiosk_keeps_the_servers_frame_rate(
    monkeypatch: pytest.MonkeyPatch, given: str | None, expected: str
) -> None:
    """textual-serve sets 60 frames a second: each frame is a message to the browser. The
    served kiosk keeps it; only where none is given does it use the kiosk's own."""
    environment = {name: value for name, value in os.environ.items() if "TEXTUAL" not in name}
    environment["TEXTUAL_DRIVER"] = WEB_DRIVER
    if given is not None:
        environment["TEXTUAL_FPS"] = given
    monkeypatch.setattr(os, "environ", environment)
    monkeypatch.setattr(webenv, "exit_with_parent", lambda: True)  # not for the test runner
    started: list[KioskApp] = []
    monkeypatch.setattr(KioskApp, "run", lambda self: started.append(self))
    assert cli.run(CONFIG_FILE, web=True) == 0
    assert started
    assert environment["TEXTUAL_FPS"] == expected


def test_served_kiosk_refuses_another_driver_and_odd_values() -> None:
    environ = {
        "TEXTUAL_DRIVER": "evil.module:Driver",
        "TEXTUAL_FPS": "60; rm -rf /",
        "TEXTUAL_COLOR_SYSTEM": "auto",
    }
    # The web driver is the only driver a served kiosk loads, whatever the environment says.
    assert web_driver_variables(environ) == {"TEXTUAL_DRIVER": WEB_DRIVER}


def test_each_page_runs_this_kiosk_with_an_absolute_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    command = kiosk_command(Path("kiosk.toml"))
    assert command == [
        sys.executable,
        "-m",
        "kiosk",
        "--config",
        str(tmp_path / "kiosk.toml"),
        "run",
        "--web",
    ]


@pytest.mark.parametrize("port", ["80", "0", "65536", "http", "-1"])
def test_serve_refuses_odd_ports(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--config", str(CONFIG_FILE), "serve", "--port", port])
    assert exit_info.value.code == 2
    assert "not a port from 1024 to 65535" in capsys.readouterr().err


def test_serve_with_a_broken_kiosk_toml_says_so_and_serves_anyway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """A server that refused to start would leave the lobby's browser on an error page until
    someone came; it serves, and each page's kiosk starts on the last good settings."""
    config = tmp_path / "kiosk.toml"
    config.write_text("[kiosk]\nidle_seconds = 'soon'\n", encoding="utf-8")
    started: list[tuple[Path, int, int]] = []
    monkeypatch.setattr(
        serve,
        "serve_kiosk",
        lambda path, *, port, max_pages, larger_text_font: (
            started.append((path, port, max_pages)) or 0
        ),
    )
    monkeypatch.delenv("STATE_DIRECTORY", raising=False)
    assert main(["--config", str(config), "serve", "--port", "8123"]) == 0
    assert started == [(config.resolve(), 8123, 3)]
    err = capfd.readouterr().err
    assert "kiosk.toml:2:" in err and "running on safe defaults" in err


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (147, 40, (147, 40)),
        (1000, 1000, (serve.MAX_COLUMNS, serve.MAX_ROWS)),
        (0, -5, (1, 1)),
        ("80", None, (1, 1)),
        (True, 24.5, (1, 1)),
    ],
)
def test_a_page_cannot_ask_for_a_huge_or_odd_terminal(
    width: object, height: object, expected: tuple[int, int]
) -> None:
    assert serve.clamp_size(width, height) == expected


async def test_resize_messages_are_capped_before_they_reach_the_kiosk() -> None:
    sent: list[dict[str, object]] = []

    async def record(data: dict[str, object]) -> bool:
        sent.append(data)
        return True

    async def ignore(*_: object) -> None:
        return None

    service = serve.KioskAppService(
        [sys.executable, "-c", "pass"],
        write_bytes=ignore,
        write_str=ignore,
        close=ignore,
        download_manager=DownloadManager(),
    )
    service.send_meta = record  # type: ignore[method-assign]
    await service.set_terminal_size(1000, 1000)
    assert sent == [{"type": "resize", "width": 300, "height": 120}]


async def test_a_pages_staff_lines_reach_the_log_as_they_happen_and_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """textual-serve kept a page's stderr in memory until the page closed; here each line is
    logged at once, and a kiosk that writes without end cannot fill the journal."""
    logged: list[str] = []
    monkeypatch.setattr(serve, "log_line", logged.append)
    monkeypatch.setattr(serve, "MAX_LINES_PER_PAGE", 5)
    chatty = (
        "import sys, time\n"
        "print('__GANGLION__', flush=True)\n"
        "print('kiosk: first line', file=sys.stderr, flush=True)\n"
        "time.sleep(0.5)\n"
        "for n in range(20): print(f'line {n}', file=sys.stderr, flush=True)\n"
    )

    async def ignore(*_: object) -> None:
        return None

    service = serve.KioskAppService(
        [sys.executable, "-c", chatty],
        write_bytes=ignore,
        write_str=ignore,
        close=ignore,
        download_manager=DownloadManager(),
    )
    await service.start(80, 24)
    process = service.process
    assert process is not None
    for _ in range(200):  # the first line is logged while the kiosk still runs
        if logged:
            break
        await asyncio.sleep(0.01)
    assert process.returncode is None
    assert logged == [f"page {process.pid}: first line"]
    await service.stop()
    assert len(logged) == 6
    assert logged[-1] == f"page {process.pid}: … and 16 more line(s), not passed on"


async def test_a_kiosk_that_does_not_quit_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    """textual-serve alone would wait for ever; the kiosk's server kills after QUIT_SECONDS."""
    monkeypatch.setattr(serve, "QUIT_SECONDS", 0.5)
    stubborn = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('__GANGLION__', flush=True); time.sleep(60)"
    )

    async def ignore(*_: object) -> None:
        return None

    service = serve.KioskAppService(
        [sys.executable, "-c", stubborn],
        write_bytes=ignore,
        write_str=ignore,
        close=ignore,
        download_manager=DownloadManager(),
    )
    await service.start(80, 24)
    process = service.process
    assert process is not None
    started = time.monotonic()
    await service.stop()
    assert process.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 5
    await service.stop()  # textual-serve calls it twice; the second call has nothing to do


async def test_links_and_files_never_reach_the_page() -> None:
    sent: list[str] = []

    async def record(text: str) -> None:
        sent.append(text)

    async def ignore(*_: object) -> None:
        return None

    service = serve.KioskAppService(
        [sys.executable, "-c", "pass"],
        write_bytes=ignore,
        write_str=record,
        close=ignore,
        download_manager=DownloadManager(),
    )
    await service.on_meta(b'{"type": "open_url", "url": "https://example.com", "new_tab": true}')
    await service.on_meta(b'{"type": "deliver_file_start", "key": "k", "path": "/etc/passwd"}')
    assert sent == []


async def test_larger_text_reaches_the_page_as_a_font_size_and_nothing_is_opened() -> None:
    """The kiosk's "kiosk:text-size/…" link becomes the page's text-size message (the font
    from [screen]); only those two links do, and nothing is ever opened."""
    sent: list[str] = []

    async def record(text: str) -> None:
        sent.append(text)

    async def ignore(*_: object) -> None:
        return None

    service = serve.KioskAppService(
        [sys.executable, "-c", "pass"],
        larger_text_font=44,
        write_bytes=ignore,
        write_str=record,
        close=ignore,
        download_manager=DownloadManager(),
    )
    for url in ["kiosk:text-size/large", "kiosk:text-size/normal", "kiosk:elsewhere"]:
        meta = {"type": "open_url", "url": url, "new_tab": False}
        await service.on_meta(json.dumps(meta).encode())
    assert [json.loads(text) for text in sent] == [
        ["kiosk_text_size", {"font_size": 44}],
        ["kiosk_text_size", {"font_size": None}],
    ]


def test_serve_says_so_when_the_port_is_taken() -> None:
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*SERVE, "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert f"cannot listen on http://{HOST}:{port}" in result.stderr


# -- a real server --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _processes() -> Iterator[tuple[int, str, int, int]]:
    """(pid, state, parent pid, process group) of every process, from /proc."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        yield int(stat.parent.name), fields[0], int(fields[1]), int(fields[2])


def _children(parent: int) -> list[int]:
    """Live processes whose parent is ``parent`` (zombies do not count)."""
    return [pid for pid, state, ppid, _ in _processes() if ppid == parent and state != "Z"]


def _process_group(group: int) -> list[int]:
    """Live members of a process group."""
    return [pid for pid, state, _, pgid in _processes() if pgid == group and state != "Z"]


def _alive(pid: int) -> bool:
    return any(found == pid and state != "Z" for found, state, _, _ in _processes())


def _command_line(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
    except OSError:
        return []


def _wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.05)


class Served:
    """A running ``kiosk serve`` and what it was started with."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, workdir: Path) -> None:
        self.process = process
        self.port = port
        self.url = f"http://{HOST}:{port}/"
        self.workdir = workdir

    def kiosk_processes(self) -> list[int]:
        return [pid for pid in _children(self.process.pid) if "--web" in _command_line(pid)]

    def log(self) -> str:
        return (self.workdir / "serve.log").read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """``kiosk serve`` on a free port, in its own process group, with Textual's debug variables
    set in its environment (every page's kiosk must ignore them), always killed at the end."""
    with _serving(tmp_path, CONFIG_FILE) as server:
        yield server


@contextlib.contextmanager
def _serving(tmp_path: Path, config: Path) -> Iterator[Served]:
    """``kiosk serve --config config`` as the ``served`` fixture runs it."""
    port = _free_port()
    environment = {
        **os.environ,
        "TEXTUAL": "devtools,debug",
        "TEXTUAL_LOG": str(tmp_path / "textual.log"),
        "TEXTUAL_SCREENSHOT": "1",
        "TEXTUAL_SCREENSHOT_LOCATION": str(tmp_path / "screenshots"),
        "TEXTUAL_PRESS": "x",
    }
    with (tmp_path / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [*SERVE[:3], "--config", str(config), "serve", "--port", str(port)],
            cwd=tmp_path,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Served(process, port, tmp_path)
    try:

        def listening() -> bool:
            assert process.poll() is None, f"kiosk serve ended:\n{server.log()}"
            with socket.socket() as probe:
                return probe.connect_ex((HOST, port)) == 0

        _wait_until(listening, 30, f"kiosk serve listens on {server.url}")
        yield server
    finally:
        group = process.pid
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(group, sig)
                process.wait(timeout=5)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue
        # Nothing of the group is left: no server, no kiosk.
        _wait_until(lambda: not _process_group(group), 10, f"process group {group} is gone")


def _get(served: Served, path: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection(HOST, served.port, timeout=5)
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def test_server_listens_on_localhost_only_and_refuses_other_hosts(served: Served) -> None:
    listening = Path("/proc/net/tcp").read_text() + Path("/proc/net/tcp6").read_text()
    port_hex = f":{served.port:04X} "
    local_addresses = {
        line.split()[1].rsplit(":", 1)[0]
        for line in listening.splitlines()[1:]
        if line.split()[3] == "0A" and port_hex in line.split()[1] + " "
    }
    assert local_addresses == {"0100007F"}  # 127.0.0.1, and no 0.0.0.0 or [::]
    here = f"{HOST}:{served.port}"
    assert _get(served, "/", {"Host": here}) == 200
    assert _get(served, "/", {"Host": f"localhost:{served.port}"}) == 200
    # A DNS-rebinding page: another name that resolves to this computer.
    assert _get(served, "/", {"Host": f"kiosk.example.com:{served.port}"}) == 403
    # Another site's page trying to open a kiosk session through the visitor's browser.
    websocket = {"Host": here, "Origin": "http://evil.example.com"}
    assert _get(served, "/ws", websocket) == 403
    assert served.kiosk_processes() == []


def test_static_folder_is_not_listed_and_a_bad_request_is_one_log_line(served: Served) -> None:
    here = {"Host": f"{HOST}:{served.port}"}
    assert _get(served, "/static/", here) in (403, 404)
    assert _get(served, "/static/js/textual.js", here) == 200
    with socket.create_connection((HOST, served.port), timeout=5) as raw:
        raw.sendall(b"GET / HTTP/1.1\r\nHost: \x00\xff\r\nContent-Length: x\r\n\r\n")
        raw.recv(1000)
    _wait_until(lambda: "kiosk serve:" in served.log(), 10, "the bad request is logged")
    log = served.log()
    assert "Traceback" not in log and 'File "' not in log
    assert len([line for line in log.splitlines() if "Error handling request" in line]) <= 1


async def _open_page(url: str, session: object) -> object:
    import aiohttp

    assert isinstance(session, aiohttp.ClientSession)
    origin = url.split("/ws")[0].replace("ws://", "http://")
    return await session.ws_connect(url, origin=origin, heartbeat=None)


def test_no_more_pages_than_max_pages(tmp_path: Path) -> None:
    """Each page is a kiosk process: one page more than ``[serve] max_pages`` gets the busy page
    and a refused socket, never a process of its own."""
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\ncontent_dir = "{ROOT / "content"}"\n[serve]\nmax_pages = 2\n', encoding="utf-8"
    )
    with _serving(tmp_path, config) as server:

        async def three_pages() -> list[object]:
            import aiohttp

            url = f"ws://{HOST}:{server.port}/ws?width=80&height=24"
            async with aiohttp.ClientSession() as session:
                pages = [await _open_page(url, session) for _ in range(2)]
                _wait_until(lambda: len(server.kiosk_processes()) == 2, 20, "two kiosks")
                third = await _open_page(url, session)
                message = await third.receive(timeout=10)  # type: ignore[attr-defined]
                busy = _get(server, "/", {"Host": f"{HOST}:{server.port}"})
                kiosks = len(server.kiosk_processes())
                for page in pages:
                    await page.close()  # type: ignore[attr-defined]
                return [message.type, third.close_code, busy, kiosks]  # type: ignore[attr-defined]

        kind, code, busy, kiosks = asyncio.run(three_pages())
        assert code == 1013 and busy == 503 and kiosks == 2
        assert "refused a page: 2 page(s) open already" in server.log()
        _wait_until(lambda: not server.kiosk_processes(), 20, "both kiosks ended")
        # Pages closed: a new one is served again.
        assert _get(server, "/", {"Host": f"{HOST}:{server.port}"}) == 200
        del kind


# -- the browser ----------------------------------------------------------------------------


class KioskPage:
    """One browser page showing the kiosk: read its screen, tap its buttons."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def rows(self) -> list[str]:
        return self.page.evaluate(READ_SCREEN)

    def text(self) -> str:
        return "\n".join(self.rows())

    def wait_for(self, *needles: str, seconds: float = 30) -> str:
        """Wait until every one of ``needles`` is on the screen; return the screen."""
        deadline = time.monotonic() + seconds
        while True:
            screen = self.text()
            if all(needle in screen for needle in needles):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"not on screen within {seconds} s: {needles}\n{screen}")
            time.sleep(0.05)

    def tap(self, label: str) -> None:
        """Tap (a touch event) the middle of the one button labelled ``label``.

        A Textual button ignores a second press for 0.2 s after the first (the kiosk keeps that:
        it stops an accidental double tap from answering two questions), so the tap comes
        0.3 s after the screen showed the button, as a finger's would.
        """
        pattern = re.compile(f"[{EDGES}][{MARKERS}]*({re.escape(label)})[{MARKERS}]*[{EDGES}]")
        time.sleep(0.3)
        rows = self.rows()  # where the button is now, as a finger's eye would see it
        found = [
            (row, match.start(1))
            for row, line in enumerate(rows)
            for match in pattern.finditer(line)
        ]
        assert len(found) == 1, f"{len(found)} buttons labelled {label!r}:\n" + "\n".join(rows)
        row, column = found[0]
        left, top, width, height, columns, lines = self.page.evaluate(SCREEN_GEOMETRY)
        x = left + (column + len(label) / 2) * width / columns
        y = top + (row + 0.5) * height / lines
        self.page.touchscreen.tap(x, y)


def chromium(tmp_path: Path, width: int, height: int) -> Iterator[BrowserContext]:
    """Debian's Chromium, headless, with a fresh profile, a ``width`` x ``height``
    touchscreen, catching the page's terminal (for the fixtures of the browser tests)."""
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path / "chromium-profile",
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": width, "height": height},
            has_touch=True,
            timeout=30_000,
        )
        context.set_default_timeout(15_000)
        context.add_init_script(CATCH_TERMINAL)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[BrowserContext]:
    """Debian's Chromium with a 1024x768 touchscreen."""
    yield from chromium(tmp_path, 1024, 768)


def _open_kiosk(browser: BrowserContext, served: Served) -> KioskPage:
    page = browser.new_page()
    page.goto(served.url)
    page.wait_for_function(
        "() => window.__kioskTerminal !== undefined",
        timeout=15_000,
    )
    return KioskPage(page)


@needs_chromium
def test_self_check_in_the_browser_and_nothing_left_after_the_page_closes(
    served: Served, browser: BrowserContext, tmp_path: Path
) -> None:
    requests: list[str] = []
    console_errors: list[str] = []
    browser.on("request", lambda request: requests.append(request.url))
    browser.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    assert served.kiosk_processes() == []  # a kiosk starts for a page, not before

    kiosk = _open_kiosk(browser, served)
    kiosk.wait_for("Welcome to Northpoint Evergreen", "3  Private self-check")
    # One page, one kiosk process: this very kiosk, started without a shell.
    (child,) = served.kiosk_processes()
    assert _command_line(child) == kiosk_command(CONFIG_FILE)

    kiosk.tap("3  Private self-check")
    kiosk.wait_for("Start the self-check")
    kiosk.tap("Start the self-check")
    kiosk.wait_for("Question 1 of 7")
    kiosk.tap("Yes")  # "drink alcohol, or use opioids or benzos … most days?"
    for number in range(2, 8):
        kiosk.wait_for(f"Question {number} of 7")
        kiosk.tap("No")
    result = kiosk.wait_for("This is not a diagnosis", "Start over (erases your answers)")
    assert "Talk to medical staff" in result  # dangerous withdrawal leads the result
    assert "(425) 629-0433" in result

    screenshot = tmp_path / "result.png"
    kiosk.page.screenshot(path=str(screenshot))
    png = screenshot.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1024, 768)
    assert len(png) > 20_000  # a page full of text, not a blank page

    # The page closes (the visitor walks away and the browser reloads, or it crashes):
    # the kiosk process, and every answer in its memory, is gone.
    kiosk.page.close()
    # Wait for the process itself, not for its command line: a process in the last moments of
    # its exit has already given back its memory, so /proc shows an empty command line while it
    # is not yet a zombie (this raced once in CI).
    _wait_until(lambda: not _alive(child), 20, "the page's kiosk process ended")
    assert served.kiosk_processes() == []
    assert served.process.poll() is None  # the server goes on for the next visitor
    assert "killing it" not in served.log()  # it quit when asked

    # Nothing left this computer, and the page loaded nothing from elsewhere.
    assert requests and all(url.startswith(served.url) for url in requests), requests
    assert not [error for error in console_errors if "Content Security Policy" in error]
    # The debug variables in the server's environment were ignored by the served kiosk.
    assert not (tmp_path / "textual.log").exists()
    assert not (tmp_path / "screenshots").exists()
    assert "ignored TEXTUAL_LOG" in served.log()


@needs_chromium
def test_keys_work_before_any_tap_and_after_the_focus_is_lost(
    served: Served, browser: BrowserContext
) -> None:
    # A keyboard-only visitor: nobody has tapped or clicked the page since it opened. xterm.js
    # reads keys from a hidden textarea, which had no focus, so keys did nothing; and the kiosk
    # drew no focused button (found by booting the browser kiosk, tests/boot/).
    kiosk = _open_kiosk(browser, served)
    kiosk.wait_for("▶ 1  Learn about IOP ◀")  # where Enter goes, before any key
    kiosk.page.keyboard.press("3")
    kiosk.wait_for("Start the self-check")
    # The focus leaves the terminal (a script here; a tap beside it, or the window losing the
    # focus, on a kiosk): it comes back, and keys go on working.
    kiosk.page.evaluate("() => document.activeElement.blur()")
    kiosk.page.wait_for_function(
        "() => document.activeElement.classList.contains('xterm-helper-textarea')"
    )
    kiosk.page.keyboard.press("Escape")
    kiosk.wait_for("3  Private self-check")
    kiosk.page.keyboard.press("3")
    kiosk.wait_for("Start the self-check")


@needs_chromium
def test_a_window_that_grows_while_the_kiosk_starts_gets_the_whole_screen(
    served: Served, browser: BrowserContext
) -> None:
    # Chromium in cage opens its window at 532 x 129 and makes it full screen a moment later,
    # while the page's kiosk is starting. Textual's web driver let the size the kiosk was
    # started with overtake the new one: the kiosk stayed laid out for the small window (40 x 4
    # cells) in the corner of the big one, and every key and tap went to that corner.
    page = browser.new_page()
    page.set_viewport_size({"width": 532, "height": 129})
    page.goto(served.url, wait_until="load")
    page.set_viewport_size({"width": 1024, "height": 768})
    page.wait_for_function("() => window.__kioskTerminal !== undefined", timeout=15_000)
    kiosk = KioskPage(page)
    kiosk.wait_for("3  Private self-check")
    rows = kiosk.rows()
    # The title at the top (on a screen this tall, a banner of three rows).
    assert "Welcome to Northpoint Evergreen" in [row.strip() for row in rows[:3]], "\n".join(rows)
    assert "(425) 629-0433" in rows[-1]  # the help line is at the bottom of the big window
    kiosk.tap("3  Private self-check")
    kiosk.wait_for("Start the self-check")


@needs_chromium
def test_kiosk_ends_when_its_server_is_killed(served: Served, browser: BrowserContext) -> None:
    kiosk = _open_kiosk(browser, served)
    kiosk.wait_for("3  Private self-check")
    kiosk.page.locator(".xterm-helper-textarea").focus()
    kiosk.page.keyboard.press("3")  # keys reach the kiosk as well as taps
    kiosk.wait_for("Start the self-check")
    (child,) = served.kiosk_processes()

    # SIGKILL: the server cannot say goodbye. The kernel tells the kiosk (PR_SET_PDEATHSIG).
    served.process.kill()
    served.process.wait(timeout=5)
    _wait_until(lambda: not _alive(child), 20, "the kiosk of a killed server ended")


@needs_chromium
def test_a_page_whose_kiosk_ended_starts_a_new_one_by_itself(
    served: Served, browser: BrowserContext
) -> None:
    # textual-serve's page says "Session ended." with a Restart button when its kiosk ends: on
    # a lobby screen, a dead screen until someone taps it. The kiosk's page starts a new kiosk
    # by itself, once the server answers.
    kiosk = _open_kiosk(browser, served)
    kiosk.wait_for("3  Private self-check")
    kiosk.page.keyboard.press("3")
    kiosk.wait_for("Start the self-check")
    (child,) = served.kiosk_processes()
    os.kill(child, signal.SIGKILL)
    kiosk.page.wait_for_function("() => document.body.classList.contains('-closed')")
    kiosk.page.wait_for_event("load", timeout=30_000)  # nobody tapped anything
    kiosk.page.wait_for_function("() => window.__kioskTerminal !== undefined", timeout=15_000)
    screen = kiosk.wait_for("3  Private self-check")
    assert "Start the self-check" not in screen  # a new visit, at the welcome screen
    (new_child,) = served.kiosk_processes()
    assert new_child != child
    assert f"page's kiosk (process {child}) ended; the page starts anew" in served.log()


@needs_chromium
def test_stopping_the_server_ends_every_kiosk_at_once(
    served: Served, browser: BrowserContext
) -> None:
    kiosk = _open_kiosk(browser, served)
    kiosk.wait_for("3  Private self-check")
    (child,) = served.kiosk_processes()

    # SIGTERM to the server alone (ctrl+c does the same): it closes every page and its kiosk,
    # instead of waiting for aiohttp's shutdown timeout.
    started = time.monotonic()
    served.process.terminate()
    served.process.wait(timeout=10)
    assert time.monotonic() - started < 5
    assert served.process.returncode == 0
    _wait_until(lambda: not _alive(child), 15, "the kiosk ended with its server")


FONT_AND_GRID = """() => {
  const terminal = window.__kioskTerminal;
  return [Number(terminal.options.fontSize), terminal.cols, terminal.rows];
}"""


@needs_chromium
def test_larger_text_raises_the_font_and_the_kiosk_reflows_and_a_reset_restores_it(
    served: Served, browser: BrowserContext, tmp_path: Path
) -> None:
    """The welcome screen's "Larger text": the page's font grows (to kiosk.toml's [screen]
    size, 48 px, or as large as leaves 60 x 17 cells), the grid shrinks, the kiosk re-flows to
    it with nothing cut at the right edge, and Hide (a reset) restores the normal size."""
    kiosk = _open_kiosk(browser, served)
    kiosk.wait_for("3  Private self-check", "Larger text")
    font, columns, rows = kiosk.page.evaluate(FONT_AND_GRID)
    assert font == 16 and columns > 100

    kiosk.tap("Larger text")
    kiosk.page.wait_for_function(f"() => window.__kioskTerminal.cols < {columns}")
    time.sleep(0.5)  # the last of the resizes
    large_font, large_columns, large_rows = kiosk.page.evaluate(FONT_AND_GRID)
    assert large_font > 1.5 * font
    assert 60 <= large_columns < columns and 17 <= large_rows < rows
    # The button just tapped is still on screen, now offering the normal size back.
    screen = kiosk.wait_for("Normal text size")
    lines = kiosk.rows()
    assert len(lines) == large_rows and all(len(line) <= large_columns for line in lines)
    # The kiosk drew for the new grid: the help line whole on the last row.
    assert lines[-1].strip() == "Call (425) 629-0433 · 24/7 · or ask the front desk", screen
    kiosk.page.screenshot(path=str(tmp_path / "larger-text.png"))

    # Larger text goes on through the areas: the self-check's question fits the new grid.
    kiosk.page.keyboard.press("3")
    kiosk.wait_for("Start the self-check")
    kiosk.page.keyboard.press("Enter")
    question = kiosk.wait_for("Question 1 of 7", "Yes", "Not sure")
    assert kiosk.page.evaluate(FONT_AND_GRID)[0] == large_font, question

    kiosk.page.keyboard.press("x")  # Hide: a reset
    kiosk.page.wait_for_function(f"() => Number(window.__kioskTerminal.options.fontSize) == {font}")
    kiosk.page.wait_for_function(f"() => window.__kioskTerminal.cols == {columns}")
    kiosk.wait_for("Larger text", "3  Private self-check")
    assert kiosk.page.evaluate(FONT_AND_GRID) == [font, columns, rows]
