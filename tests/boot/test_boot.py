"""Every launcher in deploy/, installed by the deployment guide and booted under real systemd.

One Debian 12 machine (tests/boot/conftest.py) goes through the guide in order, as a clinic
would: section 1 installs the kiosk, then 2a (the text console), 2b (cage + foot) and 2c (the
browser kiosk) each replace the one before. For each launcher the test checks what a visitor
and the clinic would notice:

- the welcome screen is on the screen (tty1 read as text; the graphical ones read by OCR), and
  fills it;
- a whole self-check works by keys, and by taps where there is a pointer;
- the journal (all of it, persistent files included) holds nothing a visitor saw or answered;
- ``systemctl kill -s KILL``, kills in quick succession, and a reboot bring the kiosk back;
- a broken ``kiosk.toml`` (a bad value, a syntax error, Latin-1 bytes) still gives a working
  screen, and a journal line that names ``kiosk.toml:LINE``.

Last, the machine is shut down and its whole disk (every file, the free space, the journal
files) is searched for the visitor's text.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from tests.boot import guide, screen, vm

pytestmark = pytest.mark.boot

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content" / "en"
#: The guest's `pip install` reads the wheels the host made (the guest has no network).
OFFLINE_PIP = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "/mnt/transfer/wheels"}
#: Answers to the seven questions: "more support", with "You said" reasons.
ANSWERS = "nynyyny"
WELCOME = "Welcome to Northpoint Evergreen"
HELP_LINE = "(425) 629-0433"
#: Plain text of the self-check's first screen (button labels are harder to read by OCR).
SELF_CHECK_INTRO = "Answer a few short questions"
#: The line of kiosk.toml that sets idle_seconds (the broken-settings checks change it).
IDLE_LINE = 1 + next(
    number
    for number, text in enumerate((ROOT / "kiosk.toml").read_text(encoding="utf-8").split("\n"))
    if text.startswith("idle_seconds = ")
)


def selfcheck() -> dict:
    return yaml.safe_load((CONTENT / "selfcheck.yaml").read_text(encoding="utf-8"))


def result_heading(result_id: str = "more_support") -> str:
    """The heading of the result ANSWERS lead to, as the content says it."""
    return next(r["heading"] for r in selfcheck()["results"] if r["id"] == result_id)


RESULT_HEADING = result_heading()


def _texts(node: object) -> list[str]:
    """Every string in a nested YAML value (a rule's reasons: answer -> text)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for value in node.values() for text in _texts(value)]
    if isinstance(node, list):
        return [text for value in node for text in _texts(value)]
    return []


def question_markers() -> list[str]:
    """ "Question 1 of 7" …: on a screen only, never in a file the kiosk was installed with."""
    counter = yaml.safe_load((CONTENT / "ui.yaml").read_text(encoding="utf-8"))["question_counter"]
    total = len(selfcheck()["questions"])
    return [counter.format(number=n, total=total) for n in range(1, total + 1)]


#: Text that only a drawn screen holds: none of it may be anywhere on the disk.
RENDERED_MARKERS = [*question_markers(), "• You said"]


def content_markers() -> list[str]:
    """What a visitor reads during a self-check, as one line each (the installed content has
    these too, so on the disk they are counted against the count right after the install)."""
    data = selfcheck()
    texts = [question["text"] for question in data["questions"]]
    texts += [result["heading"] for result in data["results"]]
    # The reasons a result lists ("You said …") live in the rules; the neutral lines for the
    # other answers ("talk over") under each question.
    said = [*_texts([rule.get("reasons", rule.get("reason")) for rule in data.get("rules", [])])]
    said += _texts([question.get("talk_over") for question in data["questions"]])
    said += _texts([question.get("reasons") for question in data["questions"]])
    texts += [" ".join(text.split()) for text in said]
    return list(dict.fromkeys(texts))


def journal_entries(export: bytes) -> list[dict[str, bytes]]:
    """Entries of ``journalctl -o export``: ``KEY=value`` lines, or a binary field (a value
    with control characters or invalid UTF-8): ``KEY``, its length (64 bits), the bytes."""
    entries: list[dict[str, bytes]] = []
    entry: dict[str, bytes] = {}
    position = 0
    while position < len(export):
        end = export.index(b"\n", position)
        line = export[position:end]
        position = end + 1
        if not line:
            if entry:
                entries.append(entry)
            entry = {}
        elif b"=" in line:
            key, _, value = line.partition(b"=")
            entry[key.decode()] = value
        else:
            size = int.from_bytes(export[position : position + 8], "little")
            entry[line.decode()] = export[position + 8 : position + 8 + size]
            position += 8 + size + 1
    if entry:
        entries.append(entry)
    return entries


def journal_problems(machine: vm.Machine) -> list[str]:
    """Visitor text or screen drawing in the journal: every boot, every unit, every field."""
    export = machine.run("journalctl --all --no-pager -o export", timeout=300).stdout
    problems = []
    for entry in journal_entries(export):
        message = entry.get("MESSAGE", b"").decode("utf-8", "replace")
        who = (entry.get("_SYSTEMD_UNIT") or entry.get("SYSLOG_IDENTIFIER") or b"?").decode()
        flat = " ".join(message.split())
        found = [marker for marker in RENDERED_MARKERS if marker in message]
        found += [marker for marker in [WELCOME, *content_markers()] if marker in flat]
        # Cursor moves and colours: a frame of the screen was written to the journal.
        if "\x1b[" in message:
            found.append("a terminal escape sequence")
        problems += [f"{who}: {what}: {message[:120]!r}" for what in found]
    return problems


def count_on_disk(disk: Path, markers: list[str]) -> dict[str, int]:
    """How often each marker's UTF-8 bytes are in the disk image file."""
    wanted = {marker: marker.encode() for marker in markers}
    counts = dict.fromkeys(markers, 0)
    overlap = max(len(data) for data in wanted.values())
    tail = b""
    with disk.open("rb") as image:
        while chunk := image.read(64 << 20):
            block = tail + chunk
            for marker, data in wanted.items():
                counts[marker] += block.count(data)
                counts[marker] -= tail.count(data)
            tail = block[-overlap:]
    return counts


def run_guide(machine: vm.Machine, heading: str, timeout: float = 900) -> vm.Result:
    """Run the guide's install step for a section, unchanged, in the guest (as root)."""
    machine.run(
        "mkdir -p /mnt/transfer; mountpoint -q /mnt/transfer || mount -r /dev/vdb /mnt/transfer"
    )
    step = guide.install_step(heading)
    return machine.run(f"cd /mnt/transfer\n{step}", timeout=timeout, env=OFFLINE_PIP)


#: State handed from one check to the next (the machine goes through the guide in order).
STATE: dict[str, object] = {}


def test_install_follows_the_guide(machine: vm.Machine, timings) -> None:
    started = time.monotonic()
    result = run_guide(machine, "1.")
    timings.note("guide section 1 (install)", time.monotonic() - started)
    assert "OK /opt/kiosk/content" in result.out, result.out[-2000:]
    # The kiosk is not running yet: what the disk holds now is the installed content. Count
    # it, so that the search after shutdown finds only what the visits added.
    machine.run("sync")
    # (The project's own tests and pictures in /opt/kiosk hold rendered screens too.)
    STATE["baseline"] = count_on_disk(machine.overlay, RENDERED_MARKERS + content_markers())


class LauncherChecks:
    """The checks every launcher gets; a subclass says how to install it and read its screen."""

    name: ClassVar[str]
    heading: ClassVar[str]
    #: The units the guide enables for this launcher.
    units: ClassVar[tuple[str, ...]]
    #: Seconds to wait for the kiosk to be on the screen after a start.
    start_timeout: ClassVar[float] = 180

    # --- how this launcher shows the kiosk -------------------------------------------------
    def screen_text(self, machine: vm.Machine) -> str:
        raise NotImplementedError

    def shot(self, machine: vm.Machine, artifacts: Path, what: str) -> Path:
        return machine.screendump(artifacts / "screens" / f"{self.name}-{what}.png")

    def wait_for(self, machine: vm.Machine, phrase: str, timeout: float | None = None) -> str:
        def shown() -> str | None:
            text = self.screen_text(machine)
            return text if self.matches(text, phrase) else None

        try:
            return vm.wait_until(
                f"{phrase!r} on the {self.name} screen", shown, timeout or self.start_timeout, 2
            )
        except vm.VmError:
            # What the screen showed instead, for whoever reads the failure.
            machine.screendump(machine.workdir / "screens" / f"{self.name}-timed-out.png")
            raise

    def matches(self, text: str, phrase: str) -> bool:
        return screen.squash(phrase) in screen.squash(text)

    def fills_the_screen(self, machine: vm.Machine, text: str) -> bool:
        """The help line is at the bottom: the kiosk uses the whole screen, not a corner."""
        raise NotImplementedError

    #: Characters of the help line OCR may misread (the text console is read exactly).
    help_line_misreads: ClassVar[int] = 0

    def shows_help_line(self, text: str) -> bool:
        return screen.holds(screen.squash(text), screen.squash(HELP_LINE), self.help_line_misreads)

    #: Whether the launcher has a pointer (taps) as well as keys.
    has_pointer: ClassVar[bool] = True

    def tap(self, machine: vm.Machine, label: str, timeout: float = 60) -> None:
        raise NotImplementedError

    def main_pids(self, machine: vm.Machine) -> list[str]:
        return [machine.run(f"systemctl show -P MainPID {unit}").out.strip() for unit in self.units]

    def journal_since(self, machine: vm.Machine, since: str) -> str:
        return machine.run(f"journalctl --no-pager -o cat --since=@{since}").out

    # --- the checks --------------------------------------------------------------------------
    def test_guide_installs_the_launcher(self, machine: vm.Machine, timings) -> None:
        started = time.monotonic()
        run_guide(machine, self.heading)
        for unit in self.units:
            assert machine.run(f"systemctl is-enabled {unit}").out.strip() == "enabled"
        self.wait_for(machine, WELCOME)
        timings.note(f"{self.name}: guide step to welcome screen", time.monotonic() - started)

    def test_welcome_screen_is_on_the_display(self, machine: vm.Machine, artifacts: Path) -> None:
        text = self.wait_for(machine, WELCOME)
        self.shot(machine, artifacts, "welcome")
        assert self.shows_help_line(text), text
        assert self.fills_the_screen(machine, text), text

    def test_a_whole_self_check_by_keys(self, machine: vm.Machine, artifacts: Path) -> None:
        assert machine.qmp is not None
        self.wait_for(machine, WELCOME)
        machine.qmp.type("3")
        self.wait_for(machine, SELF_CHECK_INTRO, 60)
        machine.qmp.type("ret")
        for number, answer in enumerate(ANSWERS, start=1):
            self.wait_for(machine, f"Question {number} of {len(ANSWERS)}", 60)
            if number == 1:
                self.shot(machine, artifacts, "question-1")
            machine.qmp.type(answer)
        self.wait_for(machine, RESULT_HEADING, 60)
        self.shot(machine, artifacts, "result")
        # Hide (X): everything is dropped at once, back to the welcome screen.
        machine.qmp.type("x")
        text = self.wait_for(machine, WELCOME, 60)
        assert RESULT_HEADING not in text

    def test_a_whole_self_check_by_taps(self, machine: vm.Machine, artifacts: Path) -> None:
        if not self.has_pointer:
            pytest.skip("the Linux text console has no pointer or touch input")
        labels = {"y": "Yes", "n": "No"}
        self.wait_for(machine, WELCOME)
        self.tap(machine, "Private self-check")
        self.wait_for(machine, SELF_CHECK_INTRO, 60)
        self.tap(machine, "Start the self-check")
        for number, answer in enumerate(ANSWERS, start=1):
            self.wait_for(machine, f"Question {number} of {len(ANSWERS)}", 60)
            self.tap(machine, labels[answer])
        self.wait_for(machine, RESULT_HEADING, 60)
        self.shot(machine, artifacts, "result-by-taps")
        self.tap(machine, "Hide")
        text = self.wait_for(machine, WELCOME, 60)
        assert RESULT_HEADING not in text

    def test_journal_holds_no_visitor_text(self, machine: vm.Machine) -> None:
        assert journal_problems(machine) == []

    def test_kill_brings_the_kiosk_back(self, machine: vm.Machine, artifacts: Path) -> None:
        before = self.main_pids(machine)
        machine.run(" && ".join(f"systemctl kill -s KILL {unit}" for unit in self.units))
        vm.wait_until(
            "new main processes",
            lambda: all(
                new not in ("0", old)
                for new, old in zip(self.main_pids(machine), before, strict=True)
            ),
            60,
        )
        self.wait_for(machine, WELCOME)
        self.shot(machine, artifacts, "after-kill")

    def test_quick_kills_never_make_systemd_give_up(self, machine: vm.Machine) -> None:
        # systemd's default start limit is 5 starts in 10 s; a kiosk must never be given up on.
        unit = self.units[-1]
        for _ in range(7):
            machine.run(f"systemctl kill -s KILL {unit}; sleep 1.2")
        state = machine.run(f"systemctl show -P ActiveState {unit}; true").out.strip()
        assert state in ("active", "activating"), state
        self.wait_for(machine, WELCOME)

    #: Whether the launcher's unit has systemd's watchdog (Type=notify, WatchdogSec=).
    watchdog: ClassVar[bool] = False

    def kiosk_pid(self, machine: vm.Machine) -> str:
        """The kiosk program's process (the unit's main process, or cage's grandchild)."""
        return machine.run("pgrep -u kiosk -x kiosk; true").out.strip()

    def test_watchdog_restarts_a_frozen_kiosk(
        self, machine: vm.Machine, artifacts: Path, timings
    ) -> None:
        """A kiosk that stops answering (here: stopped with SIGSTOP, as a deadlock would leave
        it) is restarted by systemd's watchdog, and the welcome screen is back."""
        if not self.watchdog:
            pytest.skip(f"{self.units[-1]} has no watchdog (deploy/{self.units[-1]} says why)")
        unit = self.units[-1]
        self.wait_for(machine, WELCOME)
        frozen = self.kiosk_pid(machine)
        assert frozen.isdigit(), frozen
        restarts = int(machine.run(f"systemctl show -P NRestarts {unit}").out)
        since = machine.run("date +%s").out.strip()
        started = time.monotonic()
        machine.run(f"kill -STOP {frozen}")
        vm.wait_until(
            "a new kiosk process",
            lambda: self.kiosk_pid(machine) not in ("", frozen),
            120,
            2,
        )
        seconds = time.monotonic() - started
        timings.note(f"{self.name}: SIGSTOP to a new kiosk process", seconds)
        self.wait_for(machine, WELCOME)
        self.shot(machine, artifacts, "after-watchdog")
        journal = machine.run(f"journalctl --no-pager -o cat -u {unit} --since=@{since}").out
        assert "Watchdog timeout" in journal, journal[-3000:]
        assert int(machine.run(f"systemctl show -P NRestarts {unit}").out) > restarts
        # Not restarted by the stop itself: the kiosk says it is alive every WatchdogSec / 2
        # (15 s), so systemd notices between 15 and 30 s after the stop (29 s was seen).
        assert seconds > 15, seconds

    def test_reboot_brings_the_kiosk_back(self, machine: vm.Machine, artifacts: Path) -> None:
        machine.reboot()
        self.wait_for(machine, WELCOME)
        self.shot(machine, artifacts, "after-reboot")

    @pytest.mark.parametrize(
        ("case", "line"),
        [("idle_seconds = 3", IDLE_LINE), ("a syntax error", IDLE_LINE), ("Latin-1 bytes", 1)],
    )
    def test_broken_settings_still_give_a_working_screen(
        self, machine: vm.Machine, artifacts: Path, case: str, line: int
    ) -> None:
        good = (ROOT / "kiosk.toml").read_bytes()
        lines = good.split(b"\n")
        assert lines[line - 1].startswith(b"idle_seconds = ") or line == 1
        if case == "idle_seconds = 3":
            lines[line - 1] = b"idle_seconds = 3"
        elif case == "a syntax error":
            lines[line - 1] = b"idle_seconds = = 120"
        else:
            lines[0] = "# Réglages du kiosque".encode("latin-1")
        since = machine.run("date +%s").out.strip()
        try:
            machine.run("cat > /opt/kiosk/kiosk.toml", stdin=b"\n".join(lines))
            machine.run(f"systemctl restart {' '.join(self.units)}")
            self.wait_for(machine, WELCOME)
            assert machine.qmp is not None
            machine.qmp.type("3")
            self.wait_for(machine, SELF_CHECK_INTRO, 60)
            self.shot(machine, artifacts, f"broken-{case.split()[0].replace('_', '-')}")
            machine.qmp.type("x")
            self.wait_for(machine, WELCOME, 60)
            journal = self.journal_since(machine, since)
            assert f"kiosk.toml:{line}" in journal, journal[-3000:]
        finally:
            machine.run("cat > /opt/kiosk/kiosk.toml", stdin=good)
            machine.run(f"systemctl restart {' '.join(self.units)}")
        self.wait_for(machine, WELCOME)


class GraphicalChecks(LauncherChecks):
    """A launcher that draws pixels (cage): read by OCR, and used by taps as well as keys."""

    #: The help line is the only phone number on the welcome screen: one digit misread by
    #: OCR (Chromium's "0433" as "6433") cannot be another text.
    help_line_misreads = 1

    def screen_text(self, machine: vm.Machine) -> str:
        return screen.text_of(self.words(machine))

    def matches(self, text: str, phrase: str) -> bool:
        # OCR misreads a word now and then ("may give" as "may e"): a phrase of five words or
        # more may miss one word in five. Short ones ("Question 3 of 7") must be exact.
        if super().matches(text, phrase):
            return True
        words = [screen.squash(word) for word in phrase.split()]
        if len(words) < 5:
            return False
        found = screen.squash(text)
        return sum(word not in found for word in words) <= len(words) // 5

    def words(self, machine: vm.Machine) -> list[screen.Word]:
        # On qemu's virtual graphics card cage shows its first frame only after a pointer
        # event (seen with both of wlroots' ways of setting the mode; a virtual card has no
        # vertical blank to pace frames). A visitor's first touch would do the same; the test
        # moves the pointer by one pixel at the right edge, where the kiosk draws nothing.
        assert machine.qmp is not None
        self.nudge = not getattr(self, "nudge", False)
        machine.qmp.move(vm.SCREEN[0] - 2 + self.nudge, vm.SCREEN[1] // 2)
        time.sleep(0.5)
        return screen.read_words(machine.screendump(machine.workdir / "screen-now.ppm", "ppm"))

    def fills_the_screen(self, machine: vm.Machine, text: str) -> bool:
        # The help line is the bottom line of the 1920x1080 screen, centred on it.
        words = self.words(machine)
        box = screen.line_with(words, HELP_LINE, self.help_line_misreads)
        if box is None:
            return False
        _, top, _, bottom = box
        # Every word on that row: OCR may split one line in two where it missed a word.
        row = [word for word in words if top <= word.center[1] <= bottom]
        left = min(word.left for word in row)
        right = max(word.left + word.width for word in row)
        return bottom > vm.SCREEN[1] - 40 and abs((left + right) / 2 - vm.SCREEN[0] / 2) < 60

    def tap(self, machine: vm.Machine, label: str, timeout: float = 60) -> None:
        """Tap the button with this label, as a visitor would: find it on the screen, tap its
        middle."""
        assert machine.qmp is not None

        def where() -> tuple[int, int] | None:
            self.words(machine)  # the pointer nudge, and a fresh screenshot
            shot = machine.workdir / "screen-now.ppm"
            return screen.find_button(screen.buttons(shot), label)

        middle = vm.wait_until(f"a {label!r} button on the {self.name} screen", where, timeout, 2)
        machine.qmp.tap(*middle)


class TestConsole(LauncherChecks):
    """2a: the kiosk on the text console (kiosk.service), read from /dev/vcsu1 as text."""

    name = "console"
    heading = "2a."
    units = ("kiosk.service",)

    def screen_text(self, machine: vm.Machine) -> str:
        return machine.console(1)

    has_pointer = False
    watchdog = True

    def fills_the_screen(self, machine: vm.Machine, text: str) -> bool:
        # The help line is the last of the console's 33 rows, centred on its 120 columns (a
        # kiosk that thought the console was 80 x 24 left the rest empty: found by this test).
        rows = text.split("\n")
        last = rows[-1]
        middle = (len(last) - len(last.lstrip()) + len(last)) / 2
        return len(rows) == 33 and HELP_LINE in last and abs(middle - 60) <= 2

    def test_console_has_the_guides_font(self, machine: vm.Machine) -> None:
        # Terminus 16x32 on a 1920x1080 screen: 120 x 33 cells (deploy/README.md).
        assert machine.run("stty -F /dev/tty1 size").out.split() == ["33", "120"]


class TestCageFoot(GraphicalChecks):
    """2b: cage + foot (kiosk-cage.service), read by OCR; Debian 12's foot takes clicks, not
    touch, so the taps are clicks of an absolute pointer (a tablet)."""

    name = "cage-foot"
    heading = "2b."
    units = ("kiosk-cage.service",)
    watchdog = True


class TestBrowser(GraphicalChecks):
    """2c: kiosk serve + Chromium in cage (kiosk-serve.service, kiosk-browser.service)."""

    name = "browser"
    heading = "2c."
    units = ("kiosk-serve.service", "kiosk-browser.service")
    #: Chromium under plain emulation is slow to start.
    start_timeout = 300


def test_disk_holds_no_visitor_text(machine: vm.Machine, artifacts: Path) -> None:
    """After shutdown, the whole disk holds no more visitor text than the install put there."""
    machine.shutdown()
    markers = RENDERED_MARKERS + content_markers()
    after = count_on_disk(machine.overlay, markers)
    baseline = STATE["baseline"]
    added = {marker: after[marker] - baseline[marker] for marker in markers}
    (artifacts / "disk-counts.txt").write_text(
        "\n".join(f"{after[m]:4} (install {baseline[m]:4}) {m}" for m in markers),
        encoding="utf-8",
    )
    assert {marker: n for marker, n in added.items() if n > 0} == {}
