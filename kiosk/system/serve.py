"""``kiosk serve``: the same kiosk in a web browser, for touchscreens that run Chromium.

textual-serve (an aiohttp server) sends a page with xterm.js; each page that connects to its
websocket gets its own kiosk process, ``python -m kiosk --config <file> run --web``, whose
screen and keys travel over that websocket. The kiosk keeps answers in memory only, so "stores
nothing" holds for the browser kiosk exactly when each page's process ends with the page. This
module adds what textual-serve 1.1.3 does not do on its own (read in its app_service.py and
server.py):

* It listens on 127.0.0.1 only, and refuses requests whose ``Host`` or ``Origin`` is not this
  computer (another web site must not be able to open a kiosk through the visitor's browser).
* It starts the kiosk without a shell. textual-serve runs its command with ``/bin/sh -c``, and
  Debian's dash does not exec the last command, so killing the "process" would kill only the
  shell and leave the kiosk running.
* When a page closes, textual-serve sends the kiosk a "quit" message and then waits for it
  forever. Here the wait is bounded: a kiosk still running after :data:`QUIT_SECONDS` is killed.
  (The kiosk's side of that bargain, ending when the server dies, is in :mod:`kiosk.system.webenv`.)
* Its page (``kiosk/system/web/app_index.html``) loads nothing from the internet
  (textual-serve's own page asks Google for a font) and cannot open links or other pages; a
  Content-Security-Policy header backs that up, and the server does not pass the kiosk's "open
  this link" or "download this file" requests on to the page at all.
* Stopping the server (SIGTERM, ctrl+c) closes every page at once, so every kiosk ends at once;
  textual-serve would leave them running until aiohttp's shutdown timeout.
* Its log has no tracebacks with local variables (textual-serve's would show the keys a visitor
  just typed), one line per bad request, and each page's staff lines as they happen (at most
  :data:`MAX_LINES_PER_PAGE`, each cut to one line), not all at once when the page closes
  (textual-serve holds a page's stderr in memory, without limit, until then).
* "Larger text" (the welcome screen's button, shown only here): the kiosk asks for it by
  opening a ``kiosk:text-size/…`` link (:data:`~kiosk.rules.text_size.TEXT_SIZE_LINK`), which is
  never opened: the page gets ``["kiosk_text_size", {"font_size": N}]`` (``null`` for the
  normal size) and sets its terminal's font to N pixels, the size ``[screen]`` in
  ``kiosk.toml`` gives (:meth:`kiosk.config.ScreenSettings.larger_text_font`); textual.js's
  own fit then re-sizes the terminal, and the kiosk re-flows to the fewer, larger cells.
* It has limits: at most ``[serve] max_pages`` pages at once (each page is a kiosk process of
  about 100 MB with five languages; one more gets :data:`BUSY_PAGE`, not a new process), a
  terminal no larger than :data:`MAX_COLUMNS` x :data:`MAX_ROWS` (a page asking for 1000 x
  1000 got 4 MB frames), and no listing of its static folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shlex
import sys
from asyncio.subprocess import PIPE, Process
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from kiosk.rules.text_size import TEXT_SIZE_LINK, text_size_link
from kiosk.system.staff_log import log_line, one_line

#: The only address the server listens on: this computer. Never 0.0.0.0.
HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Larger text's font size when none is given (a 15.6-inch 1920x1080 screen at 50 cm).
LARGER_TEXT_FONT = 48
#: Seconds a kiosk gets to quit after its page closed, before it is killed.
QUIT_SECONDS = 5.0
#: The kiosk's own page template (textual-serve looks for ``app_index.html`` there).
TEMPLATES = Path(__file__).resolve().parent / "web"
#: The largest terminal a page may ask for: a 4K screen at the deployment guide's font size.
MAX_COLUMNS = 300
MAX_ROWS = 120
#: Staff lines passed on from one page's kiosk; more are counted and dropped.
MAX_LINES_PER_PAGE = 200
#: What a page gets when ``max_pages`` pages are open already. It tries again by itself.
BUSY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="10">
<title>Kiosk busy</title>
<style>body{font:2rem sans-serif;margin:3rem;background:#fff;color:#1b1b1b}</style></head>
<body><h1>This kiosk is open on another screen.</h1>
<p>Please ask the front desk. This page tries again every 10 seconds.</p></body></html>
"""

#: Nothing but this server: no other site's scripts, styles, fonts, frames or connections.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self' {websockets}; "
    "frame-ancestors 'none'; form-action 'none'; base-uri 'none'"
)

log = logging.getLogger("kiosk.system.serve")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def kiosk_command(config: Path) -> list[str]:
    """The command each page runs: this very Python and kiosk, with an absolute config path."""
    return [sys.executable, "-m", "kiosk", "--config", str(config.resolve()), "run", "--web"]


class KioskAppService(AppService):
    """One page's kiosk process, started without a shell and never left running."""

    def __init__(
        self, argv: Sequence[str], *, larger_text_font: int = LARGER_TEXT_FONT, **kwargs: object
    ) -> None:
        # textual-serve's AppService takes several keyword arguments of different types, passed
        # through here unchanged; naming each would copy its signature.
        super().__init__(shlex.join(argv), **kwargs)  # type: ignore[arg-type]
        self.argv = list(argv)
        #: The page's font size, in pixels, while the visitor has chosen Larger text.
        self.larger_text_font = larger_text_font

    @property
    def process(self) -> Process | None:
        """The page's kiosk process (None before it starts)."""
        return self._process

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        # textual-serve's own version uses create_subprocess_shell; see the module docstring.
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=PIPE, stdout=PIPE, stderr=PIPE, env=environment
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Ask the kiosk to quit, wait at most :data:`QUIT_SECONDS`, then kill it."""
        process, task = self._process, self._task
        # textual-serve calls stop() twice per page (in two ``finally`` blocks); ask once.
        self._task = None
        if task is not None:
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
            await self.send_meta({"type": "quit"})
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), QUIT_SECONDS)
            except TimeoutError:
                log_line(f"kiosk process {process.pid} did not quit; killing it")
                process.kill()
                await process.wait()
        if task is not None:
            await task  # ends when the kiosk's output does

    async def set_terminal_size(self, width: int, height: int) -> None:
        """A page resized: passed on within :data:`MAX_COLUMNS` x :data:`MAX_ROWS`."""
        await super().set_terminal_size(*clamp_size(width, height))

    async def run(self) -> None:
        """textual-serve's ``AppService.run``: wait for the kiosk's prelude, then pass its
        packets to the page; the kiosk's stderr goes to the log line by line as it comes
        (:meth:`_pass_on_log_lines`) instead of into memory until the page closes."""
        process = self._process
        assert process is not None and process.stdout is not None
        stdout = process.stdout
        log_task = asyncio.create_task(self._pass_on_log_lines())
        try:
            ready = False
            for _ in range(10):  # the prelude, so we know it is a Textual app
                if not (line := await stdout.readline()):
                    break
                if line == b"__GANGLION__\n":
                    ready = True
                    break
            if not ready:
                log_line(f"page's kiosk (process {process.pid}) did not start")
            handlers = {b"D": self.on_data, b"M": self.on_meta, b"P": self.on_packed}
            while True:
                kind = await stdout.readexactly(1)
                size = int.from_bytes(await stdout.readexactly(4), "big")
                payload = await stdout.readexactly(size)
                handler = handlers.get(kind)
                if handler is not None:
                    await handler(payload)
        except asyncio.IncompleteReadError:
            # The kiosk's output ended. If the page did not ask (stop() clears _task first),
            # the kiosk ended by itself: killed, or out of memory. textual-serve closes the
            # page's connection only when a kiosk says goodbye, so a page whose kiosk was
            # killed kept its last frame for good, taking taps for nobody: a dead lobby
            # screen. Closed, the page starts a new kiosk by itself (web/app_index.html).
            if self._task is not None:
                log_line(f"page's kiosk (process {process.pid}) ended; the page starts anew")
                with contextlib.suppress(Exception):
                    await self.remote_close()
        except (ConnectionResetError, asyncio.CancelledError):
            pass  # the page closed
        finally:
            log_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await log_task

    async def _pass_on_log_lines(self) -> None:
        """Each line the page's kiosk writes to stderr, as one log line (bounded)."""
        process = self._process
        assert process is not None and process.stderr is not None
        passed = dropped = 0
        try:
            while line := await process.stderr.readline():
                if passed < MAX_LINES_PER_PAGE:
                    passed += 1
                    text = line.decode("utf-8", "replace").rstrip()
                    log_line(f"page {process.pid}: {text.removeprefix('kiosk: ')}")
                else:
                    dropped += 1
        except ValueError:
            # A line longer than the stream's limit (64 KiB): not the kiosk's one-line style.
            log_line(f"page {process.pid}: wrote an overlong line; the rest is not passed on")
        finally:
            if dropped:
                log_line(f"page {process.pid}: … and {dropped} more line(s), not passed on")

    async def on_meta(self, data: bytes) -> None:
        meta = json.loads(data)
        url = meta.get("url")
        if (
            meta.get("type") == "open_url"
            and isinstance(url, str)
            and url.startswith(TEXT_SIZE_LINK)
        ):
            # Larger (or normal) text: a message to the page, which sets its font.
            size = self.larger_text_font if url == text_size_link(True) else None
            await self.remote_write_str(json.dumps(["kiosk_text_size", {"font_size": size}]))
            return
        # The kiosk opens no links and hands out no files: such a request never reaches the page.
        if meta.get("type") in {"open_url", "deliver_file_start"}:
            log_line("ignored a request to open a link or a file")
            return
        await super().on_meta(data)


class KioskServer(Server):
    """textual-serve's server, bound to this computer, one kiosk process per page."""

    def __init__(
        self,
        config: Path,
        port: int = DEFAULT_PORT,
        max_pages: int = 3,
        larger_text_font: int = LARGER_TEXT_FONT,
    ) -> None:
        self.argv = kiosk_command(config)
        #: Each page's font size for Larger text (``[screen]`` in kiosk.toml).
        self.larger_text_font = larger_text_font
        #: Pages (kiosk processes) allowed at once; see ``[serve] max_pages``.
        self.max_pages = max_pages
        super().__init__(
            shlex.join(self.argv), host=HOST, port=port, title="Kiosk", templates_path=TEMPLATES
        )
        self.allowed_hosts = {f"{HOST}:{port}", f"localhost:{port}"}
        self.allowed_origins = {f"http://{host}" for host in self.allowed_hosts}
        websockets = " ".join(f"ws://{host}" for host in sorted(self.allowed_hosts))
        self.content_security_policy = CONTENT_SECURITY_POLICY.format(websockets=websockets)
        #: Open pages, closed at shutdown so their kiosks end at once rather than when aiohttp
        #: gives up waiting for them.
        self.websockets: set[web.WebSocketResponse] = set()
        #: Pages whose kiosk process may still be running (a closed page's kiosk gets up to
        #: QUIT_SECONDS to end): what ``max_pages`` counts.
        self.pages_running = 0

    def initialize_logging(self) -> None:
        # Plain lines for the journal; textual-serve's RichHandler prints tracebacks with locals.
        handler = logging.StreamHandler()
        handler.setFormatter(OneLineFormatter("kiosk serve: %(message)s"))
        logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def on_startup(self, app: web.Application) -> None:
        log_line(f"serving the kiosk on {self.public_url} (this computer only)")

    async def on_shutdown(self, app: web.Application) -> None:
        for websocket in list(self.websockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY)

    async def _make_app(self) -> web.Application:
        """textual-serve's application, without its download route (the kiosk hands out no
        files) and without a listing of the static folder."""
        app = web.Application(middlewares=[self._only_this_computer])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The kiosk's page, or :data:`BUSY_PAGE` when ``max_pages`` are open."""
        if self.pages_running >= self.max_pages:
            return web.Response(status=503, text=BUSY_PAGE, content_type="text/html")
        return await super().handle_index(request)

    @web.middleware
    async def _only_this_computer(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        """Refuse other host names and other sites' pages (DNS rebinding, cross-site sockets)."""
        origin = request.headers.get("Origin")
        if request.host not in self.allowed_hosts or (
            origin is not None and origin not in self.allowed_origins
        ):
            raise web.HTTPForbidden(text="This kiosk serves this computer only.\n")
        response = await handler(request)
        if not response.prepared:  # a websocket's headers went out when it opened
            response.headers["Content-Security-Policy"] = self.content_security_policy
            response.headers["Referrer-Policy"] = "no-referrer"
            response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handler, with :class:`KioskAppService`, a record of open pages for
        :meth:`on_shutdown`, and a log line without the error's message."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width, height = clamp_size(
            _to_int(request.query.get("width", "80"), 80),
            _to_int(request.query.get("height", "24"), 24),
        )
        if self.pages_running >= self.max_pages:
            # Never a new process beyond the limit: the page is told to try again later.
            log_line(f"refused a page: {self.max_pages} page(s) open already ([serve] max_pages)")
            await websocket.prepare(request)
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER)
            return websocket
        app_service: KioskAppService | None = None
        self.websockets.add(websocket)
        self.pages_running += 1
        try:
            await websocket.prepare(request)
            app_service = KioskAppService(
                self.argv,
                larger_text_font=self.larger_text_font,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=False,
            )
            await app_service.start(width, height)
            await self._process_messages(websocket, app_service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            # The type only: a message or a traceback could quote what a visitor typed.
            log_line(f"page error: {type(error).__name__}")
        finally:
            self.websockets.discard(websocket)
            try:
                if app_service is not None:
                    await app_service.stop()
            finally:
                self.pages_running -= 1
        return websocket


def _to_int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size a page asked for, within 1 x 1 and :data:`MAX_COLUMNS` x :data:`MAX_ROWS`
    (anything that is not a whole number counts as the smallest)."""

    def whole(value: object) -> int:
        return value if isinstance(value, int) and not isinstance(value, bool) else 1

    return max(1, min(whole(width), MAX_COLUMNS)), max(1, min(whole(height), MAX_ROWS))


class OneLineFormatter(logging.Formatter):
    """Log records as one line each: an error's type, never its traceback or its locals.

    aiohttp logs a malformed request as a multi-line traceback; a request's data must not reach
    the journal, and one bad request must not fill it.
    """

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage().splitlines()[0] if record.getMessage() else ""
        if record.exc_info and record.exc_info[0] is not None:
            message = f"{message} ({record.exc_info[0].__name__})"
        return one_line(self._fmt % {"message": message} if self._fmt else message)


def serve_kiosk(
    config: Path,
    *,
    port: int = DEFAULT_PORT,
    max_pages: int = 3,
    larger_text_font: int = LARGER_TEXT_FONT,
) -> int:
    """Run the server until SIGTERM or ctrl+c. Returns the exit code for ``kiosk serve``."""
    server = KioskServer(config, port, max_pages, larger_text_font)
    try:
        server.serve()
    except OSError as error:
        log_line(f"cannot listen on {server.public_url}: {error.strerror or error}")
        return 1
    return 0
