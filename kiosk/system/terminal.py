"""The kiosk's terminal driver: Textual's Linux driver, made to survive a lobby.

Textual 8.2.8's driver is written for a developer at a terminal. In a kiosk that runs for weeks,
three of its choices end the kiosk, and each was seen on a real terminal:

* **One byte that is not UTF-8 ends the input thread.** It decodes input strictly, so 0xE9
  followed by any key (a keyboard set to Latin-1, line noise on a serial console), or an
  old-style mouse report with 0xFF in it, raises ``UnicodeDecodeError``; the thread hands a
  Rich traceback to ``App.panic``, which prints it on the visitor's screen and exits with code
  0. Here such bytes are dropped (the ``"ignore"`` error handler keeps every valid character
  around them, including characters split across two reads), and if the input thread fails
  anyway it is started again; only repeated failures end the kiosk, with one log line and exit
  code 1, so that systemd starts it again.
* **Signals take Python's default action.** SIGTERM (``systemctl stop``), SIGHUP (a terminal
  that hangs up), SIGQUIT, SIGUSR1 … kill the process on the spot: the terminal is left in the
  alternate screen, with mouse reporting and raw mode on and the last frame (perhaps a
  visitor's result) still showing. Here each of them ends the kiosk the normal way, which
  restores the terminal and clears the screen.
* **SIGTSTP suspends the app** (Textual's ctrl+z support). A kiosk must never be suspended, so
  it is ignored.

Only the terminal kiosk uses this driver (``kiosk run``, in kiosk mode); a served kiosk uses
textual-serve's web driver, and tests use Textual's headless one.
"""

from __future__ import annotations

import asyncio
import signal
from codecs import getincrementaldecoder
from typing import TYPE_CHECKING

from textual.drivers.linux_driver import LinuxDriver

from kiosk.system.staff_log import describe_error, log_line
from kiosk.textual_internals import input_thread_loop

if TYPE_CHECKING:
    from textual.app import App

#: Signals that end the kiosk cleanly (terminal restored). Their default action would kill it
#: with the terminal in the kiosk's modes.
STOP_SIGNALS: tuple[signal.Signals, ...] = (
    signal.SIGTERM,
    signal.SIGHUP,
    signal.SIGINT,
    signal.SIGQUIT,
    signal.SIGUSR1,
    signal.SIGUSR2,
    signal.SIGALRM,
)
#: How many times the input thread may fail and be started again before the kiosk gives up.
INPUT_RESTARTS = 5


class KioskTerminalDriver(LinuxDriver):
    """Textual's Linux driver with lenient input, clean stops on signals and no suspend."""

    def __init__(
        self,
        app: App[object],
        *,
        debug: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self.kiosk_app = app
        self.signal_loop: asyncio.AbstractEventLoop | None = None
        # The parent installs a SIGTSTP handler that suspends the app; a kiosk never suspends.
        signal.signal(signal.SIGTSTP, signal.SIG_IGN)
        #: The signal that stopped the kiosk, if one did (for the log and tests).
        self.stopped_by: signal.Signals | None = None

    def start_application_mode(self) -> None:
        # Textual's LinuxDriver leaves this method unannotated.
        super().start_application_mode()  # type: ignore[no-untyped-call]
        # Called in the app's event loop: signal handlers run there, between messages.
        self.signal_loop = loop = asyncio.get_running_loop()
        for stop_signal in STOP_SIGNALS:
            loop.add_signal_handler(stop_signal, self._stop_on_signal, stop_signal)

    def stop_application_mode(self) -> None:
        if self.signal_loop is not None:
            for stop_signal in STOP_SIGNALS:
                self.signal_loop.remove_signal_handler(stop_signal)
            self.signal_loop = None
        super().stop_application_mode()

    def _stop_on_signal(self, stop_signal: signal.Signals) -> None:
        """A stop signal: end the kiosk as a staff exit would (terminal restored)."""
        if self.stopped_by is None:
            self.stopped_by = stop_signal
            log_line(f"stopping on {stop_signal.name}")
            self.kiosk_app.exit(return_code=0)

    def _run_input_thread(self) -> None:
        """Run the input loop; start it again if it fails, and give up only after
        :data:`INPUT_RESTARTS` failures (one log line each, never a traceback)."""
        for _attempt in range(INPUT_RESTARTS + 1):
            try:
                self.run_input_thread()
                return  # the driver is stopping
            except Exception as error:
                if self.exit_event.is_set():
                    return
                log_line(f"input error: {describe_error(error)}; reading input again")
        log_line("input keeps failing; exiting so that the service restarts the kiosk")
        self.kiosk_app.call_from_thread(self.kiosk_app.exit, return_code=1)

    def run_input_thread(self) -> None:
        """Textual's input loop, decoding with errors ignored: a stray byte is dropped."""
        decoder = getincrementaldecoder("utf-8")(errors="ignore")
        input_thread_loop(self, decoder.decode)
