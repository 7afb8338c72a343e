"""Boot the boot test's machine and keep it running, to look into a launcher by hand.

The boot test (``make test-deploy``) shuts its machine down at the end, and a failure there is
often only understood by trying things in the booted guest: a unit's journal, a changed flag,
a restart. This does the test's own set-up (the cached base image, the wheels, the guide's
shell blocks run unchanged) and then leaves the machine up::

    .venv/bin/python -m tests.boot.hold up 1. 2c.      # boot, run sections 1 and 2c; Ctrl-C ends it
    .venv/bin/python -m tests.boot.hold run 'journalctl -b -u kiosk-browser --no-pager'
    .venv/bin/python -m tests.boot.hold shot /tmp/now.png
    .venv/bin/python -m tests.boot.hold keys 3 ret    # qemu key names, one after the other
    .venv/bin/python -m tests.boot.hold tap 960 540   # a tap at a pixel of the 1920x1080 screen
    .venv/bin/python -m tests.boot.hold move 1918 540 # the pointer only (cage draws its first
                                                      # frame on qemu's card after a pointer event)

``up`` keeps the machine's files in ``$KIOSK_BOOT_HOLD`` (default /tmp/kiosk-boot-hold); the
other commands connect to the sockets there, one command at a time (qemu's monitor and guest
agent take one client each, so ``up`` lets go of both once the machine is ready).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sys
import time
from pathlib import Path

from tests.boot import conftest, guide, image, vm

OFFLINE_PIP = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "/mnt/transfer/wheels"}


def folder() -> Path:
    return Path(os.environ.get("KIOSK_BOOT_HOLD", "/tmp/kiosk-boot-hold"))


def up(sections: list[str]) -> int:
    reason = vm.qemu_can_run()
    if reason:
        print(f"cannot boot: {reason}", file=sys.stderr)
        return 1
    work = folder()
    shutil.rmtree(work, ignore_errors=True)
    (work / "screens").mkdir(parents=True)
    log = work / "build.log"
    base = image.build_image(log)
    payload = work / "payload"
    payload.mkdir()
    shutil.copytree(conftest.wheelhouse(log), payload / "wheels")
    conftest.project_tarball(payload / "kiosk.tar.gz")
    transfer = vm.make_transfer_disk(payload, work / "transfer.img")
    machine = vm.Machine(base, work, transfer)
    stop = False

    def on_signal(number: int, frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    try:
        machine.start()
        machine.run("mkdir -p /mnt/transfer && mount -o ro /dev/vdb /mnt/transfer")
        for heading in sections:
            print(f"guide section {heading} …", flush=True)
            step = guide.install_step(heading)
            result = machine.run(f"cd /mnt/transfer\n{step}", timeout=900, env=OFFLINE_PIP)
            print(result.out[-1500:], flush=True)
        # Let go of both sockets, so that `run`, `shot`, `keys` and `tap` can use them.
        machine.agent.close()
        assert machine.qmp is not None
        machine.qmp.close()
        print(f"ready: the machine is up ({work}); Ctrl-C or SIGTERM shuts it down", flush=True)
        while not stop and machine.process is not None and machine.process.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        # Take both sockets back for a clean power-off (or kill qemu if that fails).
        with contextlib.suppress(vm.VmError, OSError):
            machine.agent.connect(30)
            machine.qmp = vm.Qmp(work / "qmp.sock")
        machine.shutdown()
    return 0


def run(script: str) -> int:
    agent = vm.GuestAgent(folder() / "qga.sock")
    agent.connect(30)
    try:
        result = agent.run(script, timeout=600, check=False)
    finally:
        agent.close()
    sys.stdout.write(result.out)
    sys.stderr.write(result.err)
    return result.exitcode


def with_qmp(action: str, values: list[str]) -> int:
    qmp = vm.Qmp(folder() / "qmp.sock")
    try:
        if action == "shot":
            print(qmp.screendump(Path(values[0]).resolve()))
        elif action == "keys":
            qmp.type(*values)
        elif action == "move":
            qmp.move(int(values[0]), int(values[1]))
        else:
            qmp.tap(int(values[0]), int(values[1]))
    finally:
        qmp.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.boot.hold", description=__doc__)
    parser.add_argument("action", choices=["up", "run", "shot", "keys", "tap", "move"])
    parser.add_argument("values", nargs="*")
    arguments = parser.parse_args(argv)
    if arguments.action == "up":
        return up(arguments.values)
    if arguments.action == "run":
        return run(" ".join(arguments.values))
    return with_qmp(arguments.action, arguments.values)


if __name__ == "__main__":
    sys.exit(main())
