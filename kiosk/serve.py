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
  (The kiosk's side of that bargain, ending when the server dies, is in :mod:`kiosk.webenv`.)
* Its page (``kiosk/web/app_index.html``) loads nothing from the internet (textual-serve's own
  page asks Google for a font) and cannot open links or other pages; a Content-Security-Policy
  header backs that up, and the server does not pass the kiosk's "open this link" or "download
  this file" requests on to the page at all.
* Stopping the server (SIGTERM, ctrl+c) closes every page at once, so every kiosk ends at once;
  textual-serve would leave them running until aiohttp's shutdown timeout.
* Its log has no tracebacks with local variables (textual-serve's would show the keys a visitor
  just typed).
"""

from __future__ import annotations

import asyncio
import json
import logging
import shlex
import sys
from asyncio.subprocess import PIPE, Process
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from kiosk.errors import log_line

#: The only address the server listens on: this computer. Never 0.0.0.0.
HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Seconds a kiosk gets to quit after its page closed, before it is killed.
QUIT_SECONDS = 5.0
#: The kiosk's own page template (textual-serve looks for ``app_index.html`` there).
TEMPLATES = Path(__file__).resolve().parent / "web"

#: Nothing but this server: no other site's scripts, styles, fonts, frames or connections.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self' {websockets}; "
    "frame-ancestors 'none'; form-action 'none'; base-uri 'none'"
)

log = logging.getLogger("kiosk.serve")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def kiosk_command(config: Path) -> list[str]:
    """The command each page runs: this very Python and kiosk, with an absolute config path."""
    return [sys.executable, "-m", "kiosk", "--config", str(config.resolve()), "run", "--web"]


class KioskAppService(AppService):
    """One page's kiosk process, started without a shell and never left running."""

    def __init__(self, argv: Sequence[str], **kwargs: object) -> None:
        super().__init__(shlex.join(argv), **kwargs)  # type: ignore[arg-type]
        self.argv = list(argv)

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

    async def on_meta(self, data: bytes) -> None:
        # The kiosk opens no links and hands out no files: such a request never reaches the page.
        if json.loads(data).get("type") in {"open_url", "deliver_file_start"}:
            log_line("ignored a request to open a link or a file")
            return
        await super().on_meta(data)


class KioskServer(Server):
    """textual-serve's server, bound to this computer, one kiosk process per page."""

    def __init__(self, config: Path, port: int = DEFAULT_PORT) -> None:
        self.argv = kiosk_command(config)
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

    def initialize_logging(self) -> None:
        # Plain lines for the journal; textual-serve's RichHandler prints tracebacks with locals.
        logging.basicConfig(level=logging.INFO, format="kiosk serve: %(message)s")
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def on_startup(self, app: web.Application) -> None:
        log_line(f"serving the kiosk on {self.public_url} (this computer only)")

    async def on_shutdown(self, app: web.Application) -> None:
        for websocket in list(self.websockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._only_this_computer)
        return app

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
        width = _to_int(request.query.get("width", "80"), 80)
        height = _to_int(request.query.get("height", "24"), 24)
        app_service: KioskAppService | None = None
        self.websockets.add(websocket)
        try:
            await websocket.prepare(request)
            app_service = KioskAppService(
                self.argv,
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
            if app_service is not None:
                await app_service.stop()
        return websocket


def _to_int(value: str, default: int) -> int:
    try:
        return max(1, min(int(value), 1000))
    except ValueError:
        return default


def serve_kiosk(config: Path, *, port: int = DEFAULT_PORT) -> int:
    """Run the server until SIGTERM or ctrl+c. Returns the exit code for ``kiosk serve``."""
    server = KioskServer(config, port)
    try:
        server.serve()
    except OSError as error:
        log_line(f"cannot listen on {server.public_url}: {error.strerror or error}")
        return 1
    return 0
