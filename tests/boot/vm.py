"""A Debian 12 virtual machine under qemu (plain emulation), driven the way a person uses it.

- :class:`Qmp` is qemu's machine protocol: the screen (``screendump``), the keyboard
  (``send-key``) and a touch-like absolute pointer (``input-send-event`` on a virtio tablet).
- :class:`GuestAgent` is qemu's guest agent (``qemu-guest-agent`` in the guest, on a virtio
  serial port): the test runs commands in the guest as root with it, as a clinic's IT person
  would over SSH. The guest has no network at all.
- :class:`Machine` boots the base image (tests/boot/image.py) through a qcow2 overlay, so that
  the base stays as built and everything the run wrote is in the overlay, to be searched.

KVM is not used: on these machines a nested KVM guest hung at boot, while plain emulation (TCG)
boots to multi-user in about 30 s.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The lobby screen: the deployment guide's fonts give 147 x 40 cells in foot and Chromium.
SCREEN = (1920, 1080)
#: qemu's absolute pointer axes go from 0 to this.
ABS_MAX = 0x7FFF


class VmError(RuntimeError):
    """The machine did not do what was asked in time."""


def wait_until(what: str, check: Callable[[], Any], timeout: float, every: float = 1.0) -> Any:
    """Call ``check`` until it returns something true; that value, or VmError after timeout."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            value = check()
        except (OSError, VmError, json.JSONDecodeError) as error:
            value, last_error = None, error
        if value:
            return value
        if time.monotonic() > deadline:
            raise VmError(f"timed out after {timeout:.0f} s waiting for {what} ({last_error})")
        time.sleep(every)


class _JsonSocket:
    """One JSON object per line over a Unix socket (QMP and the guest agent both speak this)."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(str(path))
        self.buffer = b""

    def send(self, message: dict[str, Any]) -> None:
        self.sock.sendall(json.dumps(message).encode() + b"\n")

    def receive(self) -> dict[str, Any]:
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise OSError("connection closed")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        # The guest agent's sync answer is preceded by 0xFF (guest-sync-delimited).
        line = line.lstrip(b"\xff").strip()
        if not line:
            return self.receive()
        return json.loads(line)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class Qmp:
    """qemu's machine protocol: screen, keyboard, pointer, power."""

    def __init__(self, path: Path) -> None:
        self.channel = _JsonSocket(path, timeout=60)
        self.channel.receive()  # the greeting
        self.events: list[dict[str, Any]] = []
        self.command("qmp_capabilities")

    def command(self, name: str, **arguments: Any) -> Any:
        message: dict[str, Any] = {"execute": name}
        if arguments:
            message["arguments"] = arguments
        self.channel.send(message)
        while True:
            reply = self.channel.receive()
            if "event" in reply:
                self.events.append(reply)
            elif "error" in reply:
                raise VmError(f"QMP {name}: {reply['error']}")
            elif "return" in reply:
                return reply["return"]

    def screendump(self, path: Path, kind: str = "png") -> Path:
        """The screen as a picture file, "png" or "ppm" (what a visitor sees, pixel for pixel)."""
        self.command("screendump", filename=str(path), format=kind)
        return path

    def keys(self, *names: str, hold_ms: int = 60) -> None:
        """Press keys together (qemu key codes: "a", "3", "ret", "esc", "f12", "shift" …)."""
        self.command(
            "send-key",
            keys=[{"type": "qcode", "data": name} for name in names],
            **{"hold-time": hold_ms},
        )

    def type(self, *names: str, pause: float = 0.3) -> None:
        """Press keys one after another."""
        for name in names:
            self.keys(name)
            time.sleep(pause)

    def move(self, x: int, y: int) -> None:
        """Move the absolute pointer to screen pixel (x, y)."""
        position = [
            {"type": "abs", "data": {"axis": "x", "value": x * ABS_MAX // (SCREEN[0] - 1)}},
            {"type": "abs", "data": {"axis": "y", "value": y * ABS_MAX // (SCREEN[1] - 1)}},
        ]
        self.command("input-send-event", events=position)

    def tap(self, x: int, y: int) -> None:
        """A tap (a click of the absolute pointer) at screen pixel (x, y)."""
        self.move(x, y)
        time.sleep(0.1)
        for down in (True, False):
            button = {"type": "btn", "data": {"down": down, "button": "left"}}
            self.command("input-send-event", events=[button])
            time.sleep(0.1)

    def close(self) -> None:
        self.channel.close()


@dataclass
class Result:
    """What a command in the guest did."""

    exitcode: int
    stdout: bytes
    stderr: bytes

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", "replace")

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", "replace")


class GuestAgent:
    """Commands run as root in the guest, through qemu-guest-agent."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.channel: _JsonSocket | None = None

    def connect(self, timeout: float) -> None:
        """Wait until the agent in the guest answers (it starts late in the boot)."""

        def sync() -> bool:
            self.close()
            channel = _JsonSocket(self.path, timeout=3)
            token = random.randrange(1, 1 << 30)
            channel.send({"execute": "guest-sync-delimited", "arguments": {"id": token}})
            while True:
                try:
                    reply = channel.receive()
                except OSError:
                    channel.close()
                    return False
                if reply.get("return") == token:
                    channel.sock.settimeout(60)
                    self.channel = channel
                    return True

        wait_until("the guest agent", sync, timeout, every=2)

    def call(self, name: str, **arguments: Any) -> Any:
        if self.channel is None:
            raise VmError("the guest agent is not connected")
        message: dict[str, Any] = {"execute": name}
        if arguments:
            message["arguments"] = arguments
        self.channel.send(message)
        reply = self.channel.receive()
        if "error" in reply:
            raise VmError(f"guest agent {name}: {reply['error']}")
        return reply.get("return")

    def run(
        self,
        script: str,
        timeout: float = 120,
        check: bool = True,
        env: dict[str, str] | None = None,
        stdin: bytes | None = None,
    ) -> Result:
        """Run a shell script in the guest as root and wait for it to end."""
        environment = {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": "/root",
            "LANG": "C.UTF-8",
            **(env or {}),
        }
        arguments: dict[str, Any] = {
            "path": "/bin/bash",
            "arg": ["-euo", "pipefail", "-c", script],
            "env": [f"{key}={value}" for key, value in environment.items()],
            "capture-output": True,
        }
        if stdin is not None:
            arguments["input-data"] = base64.b64encode(stdin).decode()
        pid = self.call("guest-exec", **arguments)["pid"]

        def status() -> dict[str, Any] | None:
            answer = self.call("guest-exec-status", pid=pid)
            return answer if answer.get("exited") else None

        answer = wait_until(f"guest command {script[:60]!r}", status, timeout, every=0.5)
        result = Result(
            answer.get("exitcode", -1),
            base64.b64decode(answer.get("out-data", "")),
            base64.b64decode(answer.get("err-data", "")),
        )
        if check and result.exitcode != 0:
            raise VmError(
                f"guest command failed ({result.exitcode}): {script}\n"
                f"--- stdout\n{result.out[-4000:]}\n--- stderr\n{result.err[-4000:]}"
            )
        return result

    def spawn(self, script: str) -> None:
        """Start a command and do not wait for it (a reboot, a power-off)."""
        self.call(
            "guest-exec",
            path="/bin/bash",
            arg=["-c", script],
            env=["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
        )

    def close(self) -> None:
        if self.channel is not None:
            self.channel.close()
            self.channel = None


def read_console(agent: GuestAgent, tty: int = 1) -> str:
    """The text on a virtual console, row by row, read from the kernel (/dev/vcsu, /dev/vcsa).

    This is exactly what the screen shows, with no OCR: /dev/vcsuN holds one UTF-32 character
    per cell, and /dev/vcsaN starts with the console's rows and columns.
    """
    raw = agent.run(f"head -c 4 /dev/vcsa{tty}; cat /dev/vcsu{tty}").stdout
    rows, columns = raw[0], raw[1]
    cells = raw[4:]
    text = cells.decode("utf-32-le", "replace")
    return "\n".join(text[row * columns : (row + 1) * columns].rstrip() for row in range(rows))


def make_transfer_disk(source: Path, image: Path) -> Path:
    """An ext4 disk image holding the folder ``source``: how files reach the offline guest."""
    size_mb = sum(p.stat().st_size for p in source.rglob("*") if p.is_file()) // (1 << 20) + 64
    image.unlink(missing_ok=True)
    subprocess.run(
        ["mkfs.ext4", "-q", "-L", "transfer", "-d", str(source), str(image), f"{size_mb}M"],
        check=True,
    )
    return image


class Machine:
    """The guest: a qemu process, its screen, its keyboard and pointer, and its agent."""

    def __init__(self, base: Path, workdir: Path, transfer: Path, memory_mb: int = 3072) -> None:
        self.base = base
        self.workdir = workdir
        self.transfer = transfer
        self.memory_mb = memory_mb
        self.overlay = workdir / "overlay.qcow2"
        self.serial_log = workdir / "serial.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.qmp: Qmp | None = None
        self.agent = GuestAgent(workdir / "qga.sock")
        self.boots = 0

    def command_line(self) -> list[str]:
        # console=ttyS0: the kernel's and systemd's boot messages go to the serial log, not
        # over the kiosk on tty1. video=: the lobby screen's size for the text console too.
        cmdline = f"root=/dev/vda ro console=ttyS0 quiet video={SCREEN[0]}x{SCREEN[1]}"
        return [
            "qemu-system-x86_64",
            # No PS/2 keyboard and mouse (i8042) and no VMware mouse: the only pointer is the
            # tablet below, so that qemu sends a tap's button to the device that moved.
            "-machine", "q35,i8042=off,vmport=off",
            "-accel", "tcg",
            "-cpu", "max",
            "-smp", "2",
            "-m", str(self.memory_mb),
            "-kernel", str(self.base / "vmlinuz"),
            "-initrd", str(self.base / "initrd.img"),
            "-append", cmdline,
            "-drive", f"file={self.overlay},if=virtio,format=qcow2",
            "-drive", f"file={self.transfer},if=virtio,format=raw,readonly=on",
            # A plain graphics card with the lobby's 1920x1080 as its preferred mode (virtio-gpu:
            # cage's wlroots 0.15 needs PRIME buffer import, which the simpler bochs card
            # lacks), a keyboard and a touch-like tablet.
            "-vga", "none",
            "-device", f"virtio-vga,xres={SCREEN[0]},yres={SCREEN[1]}",
            "-device", "virtio-keyboard-pci",
            "-device", "virtio-tablet-pci",
            "-nic", "none",
            "-display", "none",
            "-serial", f"file:{self.serial_log}",
            "-qmp", f"unix:{self.workdir / 'qmp.sock'},server=on,wait=off",
            "-device", "virtio-serial-pci",
            "-chardev", f"socket,id=qga0,path={self.workdir / 'qga.sock'},server=on,wait=off",
            "-device", "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0",
        ]  # fmt: skip

    def start(self, boot_timeout: float = 300) -> None:
        """Boot the machine (a new overlay on the base image) and wait for its agent."""
        if not self.overlay.exists():
            subprocess.run(
                ["qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2",
                 "-b", str(self.base / "base.qcow2"), str(self.overlay)],
                check=True,
            )  # fmt: skip
        for name in ("qmp.sock", "qga.sock"):
            (self.workdir / name).unlink(missing_ok=True)
        self.process = subprocess.Popen(
            self.command_line(),
            stdin=subprocess.DEVNULL,
            stdout=(self.workdir / "qemu.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        wait_until("qemu's QMP socket", lambda: (self.workdir / "qmp.sock").exists(), 30, 0.2)
        self.qmp = Qmp(self.workdir / "qmp.sock")
        self.wait_for_boot(boot_timeout)

    def wait_for_boot(self, timeout: float = 300) -> None:
        started = time.monotonic()
        self.agent.connect(timeout)
        # The agent starts before the boot is done: wait for every unit to have started.
        self.agent.run("systemctl is-system-running --wait >/dev/null || true", timeout=timeout)
        self.boots += 1
        self.last_boot_seconds = time.monotonic() - started

    def run(self, script: str, **options: Any) -> Result:
        return self.agent.run(script, **options)

    def reboot(self, timeout: float = 300) -> None:
        """`systemctl reboot` in the guest, then wait for it to be up again."""
        boot_id = self.run("cat /proc/sys/kernel/random/boot_id").out.strip()
        self.agent.spawn("sleep 1; systemctl reboot")
        self.agent.close()
        time.sleep(5)
        self.wait_for_boot(timeout)
        new_id = self.run("cat /proc/sys/kernel/random/boot_id").out.strip()
        if new_id == boot_id:
            raise VmError("the guest did not reboot")

    def console(self, tty: int = 1) -> str:
        return read_console(self.agent, tty)

    def wait_for_console(self, text: str, timeout: float = 180, tty: int = 1) -> str:
        """The console's text once it shows ``text``."""

        def shown() -> str | None:
            screen = self.console(tty)
            return screen if text in screen else None

        return wait_until(f"{text!r} on tty{tty}", shown, timeout)

    def screendump(self, path: Path, kind: str = "png") -> Path:
        assert self.qmp is not None
        return self.qmp.screendump(path, kind)

    def shutdown(self, timeout: float = 180) -> None:
        """Power the guest off cleanly (so every file is on the disk), or kill qemu."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(VmError, OSError):
                self.agent.spawn("sleep 1; systemctl poweroff")
            try:
                self.process.wait(timeout)
            except BaseException:  # too slow, or the run was interrupted: never leave qemu
                self.process.kill()
                self.process.wait()
                if not isinstance(sys.exc_info()[1], subprocess.TimeoutExpired):
                    raise
        self.agent.close()
        if self.qmp is not None:
            self.qmp.close()
        self.process = None

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None


def qemu_can_run() -> str:
    """Why qemu cannot run here ("" when it can)."""
    for tool in ("qemu-system-x86_64", "qemu-img", "mmdebstrap", "mkfs.ext4"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (make debian-boot-test-packages)"
    if os.geteuid() != 0:
        return "the base image is built with mmdebstrap as root; run as root"
    return ""


@contextlib.contextmanager
def booted(base: Path, workdir: Path, transfer: Path) -> Iterator[Machine]:
    machine = Machine(base, workdir, transfer)
    try:
        machine.start()
        yield machine
    finally:
        machine.shutdown()
