"""The Debian package (``make deb``) installed by the deployment guide's section 1b on a fresh
machine, then the text console (section 2a) on it, booted under real systemd.

test_boot.py has already checked every launcher on the guide's venv install. The package puts
the same units and the same kiosk in the same places; what it changes is how they get there
(apt, the package's own venv and its maintainer scripts). So this machine gets the checks that
the package could break: the kiosk user and files it makes, the welcome screen on tty1, a whole
self-check, the watchdog (the unit's ``Type=notify`` with the package's kiosk), a reboot, a
clean journal. The kills and the broken ``kiosk.toml`` files test the unit and the kiosk's
code, which are the same here; they are not run twice.

Run by ``make test-deploy``, which builds the package and names it in ``KIOSK_DEB``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.boot import conftest, vm
from tests.boot import test_boot as boot

pytestmark = [
    pytest.mark.boot,
    pytest.mark.skipif(
        not os.environ.get("KIOSK_DEB"), reason="run by make test-deploy (KIOSK_DEB names the .deb)"
    ),
]

DEB = Path(os.environ.get("KIOSK_DEB", ""))
KIOSK = "/opt/kiosk/.venv/bin/kiosk --config /opt/kiosk/kiosk.toml"
SAME_AS_THE_VENV_INSTALL = "the same unit and code as test_boot.py's console checks"


@pytest.fixture(scope="module")
def machine(artifacts: Path, timings: conftest.Timings) -> Iterator[vm.Machine]:
    """A fresh machine with only the .deb on its transfer disk, installed by section 1b."""

    def payload(folder: Path) -> None:
        shutil.copy(DEB, folder / DEB.name)

    for guest in conftest.booted_guest(artifacts / "package", timings, payload):
        result = boot.run_guide(guest, "1b.")
        assert "OK /opt/kiosk/content" in result.out, result.out[-2000:]
        yield guest


class TestPackageConsole(boot.TestConsole):
    """Section 1b (the package), then 2a (kiosk.service on tty1)."""

    name = "package-console"

    def test_package_made_the_kiosk_user_and_files(self, machine: vm.Machine) -> None:
        status = machine.run("dpkg-query -W -f '${Status} ${Version}' iop-kiosk").out
        assert status.startswith("install ok installed"), status
        home_and_shell = machine.run("getent passwd kiosk | cut -d: -f6,7").out.strip()
        assert home_and_shell == "/opt/kiosk:/usr/sbin/nologin"
        # Settings hold the PIN's hash: readable by the kiosk's group, not by everyone.
        mode = machine.run("stat -c '%U:%G %a' /opt/kiosk/kiosk.toml").out.split()
        assert mode == ["root:kiosk", "640"]
        # The kiosk's user reads its content and settings, and can change neither.
        as_kiosk = "setpriv --reuid=kiosk --regid=kiosk --init-groups"
        validated = machine.run(f"{as_kiosk} {KIOSK} validate").out
        assert validated.startswith("OK /opt/kiosk/content"), validated
        for path in ("/opt/kiosk/content/en/ui.yaml", "/opt/kiosk/kiosk.toml"):
            refused = machine.run(f"{as_kiosk} sh -c ': >> {path}'", check=False)
            assert refused.exitcode != 0, path

    def test_kill_brings_the_kiosk_back(self, machine: vm.Machine, artifacts: Path) -> None:
        pytest.skip(SAME_AS_THE_VENV_INSTALL)

    def test_quick_kills_never_make_systemd_give_up(self, machine: vm.Machine) -> None:
        pytest.skip(SAME_AS_THE_VENV_INSTALL)

    @pytest.mark.parametrize(("case", "line"), [("-", 0)])
    def test_broken_settings_still_give_a_working_screen(
        self, machine: vm.Machine, artifacts: Path, case: str, line: int
    ) -> None:
        pytest.skip(SAME_AS_THE_VENV_INSTALL)
