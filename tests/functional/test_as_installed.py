"""The kiosk as systemd and a terminal run it: a real process on a pseudo-terminal.

Each test here failed on the kiosk before the as-installed fixes (issue 11): staff lines drawn
over the visitor's screen (or the screen sent to the journal), one stray byte ending the kiosk
with a traceback on screen, signals leaving the terminal in the kiosk's modes, a broken
``kiosk.toml`` leaving a dead screen.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import msgspec
import pytest

from kiosk import cli
from kiosk.app import KioskApp
from kiosk.content.loading import BUNDLED_CONTENT
from kiosk.content.model import load_library
from tests.conftest import CONTENT_DIR
from tests.terminal import Terminal

WELCOME = "Welcome to Northpoint Evergreen"


def journal_file(folder: Path) -> tuple[Path, dict[str, str]]:
    """A file standing in for the journal, and the environment systemd gives a unit whose
    stdout is the journal (``JOURNAL_STREAM`` names the stream by device and inode)."""
    journal = folder / "journal.log"
    journal.touch()
    status = journal.stat()
    return journal, {
        "JOURNAL_STREAM": f"{status.st_dev}:{status.st_ino}",
        "INVOCATION_ID": "0123456789abcdef0123456789abcdef",
    }


def break_content(site: Path) -> None:
    """A staff typo in the content: the kiosk has something to tell staff at once."""
    ui = site / "content/en/ui.yaml"
    ui.write_text(ui.read_text(encoding="utf-8").replace("hide_button:", "hide_buton:"))


def test_console_unit_draws_on_the_terminal_and_logs_only_staff_lines(site: Path) -> None:
    """kiosk.service: stderr is tty1 (Textual draws there), stdout is the journal. The screen
    shows the kiosk and no staff line; the journal holds staff lines and nothing a visitor did."""
    break_content(site)
    journal, environment = journal_file(site)
    with (
        journal.open("ab") as stdout,
        Terminal(
            ["--config", str(site / "kiosk.toml"), "run"], env=environment, stdout=stdout
        ) as terminal,
    ):
        terminal.wait_for(WELCOME)
        terminal.type("3")
        terminal.wait_for("Start the self-check")
        terminal.type("\r")
        terminal.wait_for("Question 1 of 7")
        for _ in range(7):
            terminal.type("n")
        screen = terminal.wait_for("This is not a diagnosis")
        terminal.signal(signal.SIGTERM)
        assert terminal.wait_exit() == 0
    assert b"kiosk:" not in terminal.output  # nothing for staff on the visitor's screen
    logged = journal.read_text(encoding="utf-8")
    assert "ui.yaml:" in logged and "hide_buton" in logged and "stopping on SIGTERM" in logged
    assert screen  # the result was on screen …
    english = load_library(CONTENT_DIR).get("en")  # … and none of it was logged
    selfcheck, ui = english.selfcheck, english.ui
    visitor_texts = ["Question 1 of 7", ui.not_a_diagnosis, "You said"]
    visitor_texts += [result.heading for result in selfcheck.results]
    visitor_texts += [question.text for question in selfcheck.questions]
    for visitor_text in visitor_texts:
        assert visitor_text not in logged


def test_developer_terminal_gets_staff_lines_after_the_kiosk_ends(site: Path) -> None:
    """`make run`: stdout and stderr are the same terminal and there is no journal. Lines are
    held while the kiosk draws and printed when the terminal is given back."""
    break_content(site)
    with Terminal(["--config", str(site / "kiosk.toml"), "run"]) as terminal:
        terminal.wait_for(WELCOME)
        terminal.type("1")  # lines logged while a visitor uses it (a change, an error …)
        terminal.wait_for("What is IOP?")
        terminal.signal(signal.SIGTERM)
        assert terminal.wait_exit() == 0
    # Before the kiosk takes the screen, lines go straight to the terminal (the content's
    # problems); while it draws (the alternate screen), none; after, what was held.
    before, _, rest = bytes(terminal.output).partition(b"\x1b[?1049h")
    drawing, _, after = rest.rpartition(b"\x1b[?1049l")
    assert b"hide_buton" in before
    assert b"kiosk:" not in drawing and drawing
    assert b"kiosk: stopping on SIGTERM" in after


@pytest.mark.parametrize(
    "stray",
    [
        pytest.param(b"\xe9a", id="latin-1 e-acute then a key"),
        pytest.param(b"\x1b[M\xff!!", id="old-style mouse report with 0xFF"),
        pytest.param(b"\xff\xfe\x80\xc0", id="bytes that are never UTF-8"),
        pytest.param("é中".encode()[:-1], id="a character cut in half"),
    ],
)
def test_bytes_that_are_not_utf8_are_dropped_and_the_kiosk_goes_on(stray: bytes) -> None:
    with Terminal(["run"]) as terminal:
        terminal.wait_for(WELCOME)
        terminal.type(stray)
        terminal.type("1")
        terminal.wait_for("Learn about IOP", "What is IOP?")
        assert terminal.process.poll() is None
        terminal.type("x")
        terminal.wait_for(WELCOME)
    assert b"Traceback" not in terminal.output and b"UnicodeDecodeError" not in terminal.output


#: What Textual writes when it gives the terminal back: mouse reporting off, the normal screen.
RESTORED = (b"\x1b[?1000l", b"\x1b[?1049l")


@pytest.mark.parametrize(
    "stop_signal",
    [signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGINT],
    ids=lambda s: s.name,
)
def test_stop_signals_end_the_kiosk_with_the_terminal_restored(
    stop_signal: signal.Signals,
) -> None:
    with Terminal(["run"]) as terminal:
        terminal.wait_for(WELCOME)
        before = len(terminal.output)
        terminal.signal(stop_signal)
        assert terminal.wait_exit() == 0
    tail = bytes(terminal.output[before:])
    for sequence in RESTORED:
        assert sequence in tail, f"{sequence!r} not written after {stop_signal.name}"
    assert f"stopping on {stop_signal.name}" in terminal.text()
    assert WELCOME not in terminal.text()  # the last frame is not left on show


def test_a_reset_erases_the_terminals_scrollback() -> None:
    """Textual draws on the alternate screen, but a terminal may still keep scrollback: every
    reset writes ESC [3J, so nothing scrolled off can be scrolled back into view."""
    with Terminal(["run"]) as terminal:
        terminal.wait_for(WELCOME)
        terminal.type("1")
        terminal.wait_for("What is IOP?")
        before = len(terminal.output)
        terminal.type("x")
        terminal.wait_for(WELCOME)
    assert b"\x1b[3J" in terminal.output[before:]


def test_sigtstp_does_not_suspend_a_kiosk() -> None:
    with Terminal(["run"]) as terminal:
        terminal.wait_for(WELCOME)
        terminal.signal(signal.SIGTSTP)
        terminal.type("2")
        terminal.wait_for("Compare options", "Show side by side")
        status = Path(f"/proc/{terminal.process.pid}/stat").read_text().split()[2]
        assert status != "T"


BROKEN_SETTINGS: dict[str, bytes | None] = {
    "idle time too short": b"[kiosk]\nidle_seconds = 3\n",
    "text for a number": b'[kiosk]\nidle_seconds = "x"\n',
    "syntax error": b"[kiosk\nidle_seconds = 120\n",
    "latin-1": '[kiosk]\n# caf\xe9 du personnel\ntheme = "kiosk-light"\n'.encode("latin-1"),
    "binary": bytes(range(256)) * 4,
    "missing": None,
}


@pytest.mark.parametrize("name", list(BROKEN_SETTINGS))
def test_broken_settings_at_start_still_give_a_working_kiosk(site: Path, name: str) -> None:
    """Before: `kiosk.toml:LINE: …` and exit 1 (or a traceback), and systemd gave up after
    five restarts: a dead lobby screen until someone came."""
    config = site / "kiosk.toml"
    broken = BROKEN_SETTINGS[name]
    if broken is None:
        config.unlink()
    else:
        config.write_bytes(broken)
    journal, environment = journal_file(site)
    with (
        journal.open("ab") as stdout,
        Terminal(
            ["--config", str(config), "run"], env=environment, stdout=stdout, cwd=site
        ) as terminal,
    ):
        terminal.wait_for(WELCOME)
        terminal.type("1")
        terminal.wait_for("What is IOP?")
        terminal.signal(signal.SIGTERM)
        assert terminal.wait_exit() == 0
    logged = journal.read_text(encoding="utf-8")
    assert f"{config}:" in logged and "running on safe defaults" in logged
    assert b"Traceback" not in terminal.output


def test_a_folder_named_kiosk_toml_is_a_clear_message(site: Path, monkeypatch, capfd) -> None:
    config = site / "kiosk.toml"
    config.unlink()
    config.mkdir()
    monkeypatch.setattr(os, "environ", dict(os.environ))
    started: list[KioskApp] = []
    monkeypatch.setattr(KioskApp, "run", lambda self: started.append(self))
    assert cli.run(config) == 0
    assert f"{config}:1: is a folder, not a settings file" in capfd.readouterr().err
    assert str(started[0].content_problems[0]).endswith("is a folder, not a settings file")


def test_broken_settings_fall_back_to_the_last_good_ones(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """With a state folder (systemd's StateDirectory=), the kiosk remembers the last good
    kiosk.toml: speech, idle times and the staff PIN stay as staff had them."""
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    monkeypatch.setattr(os, "environ", {**os.environ, "STATE_DIRECTORY": str(state)})
    started: list[KioskApp] = []
    monkeypatch.setattr(KioskApp, "run", lambda self: started.append(self))
    config = site / "kiosk.toml"
    good = config.read_text(encoding="utf-8").replace("idle_seconds = 120", "idle_seconds = 45")
    config.write_text(good, encoding="utf-8")
    assert cli.run(config) == 0
    assert (state / "last-good-kiosk.toml").read_text(encoding="utf-8") == good
    config.write_text(good.replace("idle_seconds = 45", "idle_seconds = 'soon'"))
    assert cli.run(config) == 0
    assert started[-1].settings.kiosk.idle_seconds == 45
    assert started[-1].settings == msgspec.structs.replace(started[0].settings)
    assert "running on the last good kiosk.toml" in capfd.readouterr().err


def test_bundled_content_is_a_real_copy_of_the_content() -> None:
    """The fallback for broken content must not be the broken content itself (in an editable
    install it was a symbolic link to content/). `make bundle` refreshes it."""
    bundled = BUNDLED_CONTENT
    assert bundled.is_dir() and not bundled.is_symlink()
    content = BUNDLED_CONTENT.parent.parent / "content"

    def files(folder: Path) -> dict[str, bytes]:
        return {
            str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in path.parts)
        }

    assert files(bundled) == files(content), "content/ changed: run `make bundle`"


#: pyte's names for the 16 colours of SGR 30-37 / 90-97 (40-47 / 100-107), in number order.
PYTE_COLOURS = [
    "black", "red", "green", "brown", "blue", "magenta", "cyan", "white",
    *(f"bright{name}" for name in
      ["black", "red", "green", "brown", "blue", "magenta", "cyan", "white"]),
]  # fmt: skip


def test_on_the_linux_console_the_result_and_help_lines_are_readable() -> None:
    """kiosk.service on tty1 (TERM=linux, 16 colours): every letter of the result, its
    heading and the help lines' names is readable as that console draws it (bold in the
    bright colour, a bright background as the dim one). Booted, they were grey on grey."""
    from tests.functional.test_accessibility import CONSOLE_PALETTE, contrast

    # Terminus 16x32, the deployment guide's console font, on a 1920x1080 screen: 120 x 33.
    linux = {"TERM": "linux", "COLORTERM": ""}
    with Terminal(["run"], columns=120, rows=33, env=linux) as terminal:
        terminal.wait_for(WELCOME)
        terminal.type("3")
        terminal.wait_for("Start the self-check")
        terminal.type("\r")
        terminal.wait_for("Question 1 of 7")
        terminal.type("y")  # dangerous withdrawal: the result leads with medical staff
        for _ in range(6):
            terminal.type("n")
        terminal.wait_for("This is not a diagnosis", "988")
        terminal.read(1.0)
        worst: list[tuple[float, str]] = []
        for row in range(terminal.screen.lines):
            line = terminal.screen.buffer[row]
            for column in range(terminal.screen.columns):
                cell = line[column]
                if not cell.data.isalnum():
                    continue
                fore = PYTE_COLOURS.index(cell.fg if cell.fg != "default" else "white")
                back = PYTE_COLOURS.index(cell.bg if cell.bg != "default" else "black")
                if cell.bold and fore < 8:
                    fore += 8
                back %= 8
                ratio = contrast(CONSOLE_PALETTE[fore], CONSOLE_PALETTE[back])
                worst.append((ratio, f"row {row} {cell.data!r} {cell.fg}/{cell.bg}"))
        terminal.type("x")
    assert len(worst) > 500
    assert min(worst)[0] >= 4.5, sorted(worst)[:5]
