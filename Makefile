# Set-up and everyday commands. A fresh machine needs only `make run` or `make test`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages the test suite uses: espeak-ng (read-aloud tests), librsvg2-bin (to look at
# snapshot SVGs as PNGs), chromium + chromium-driver (tests/functional/test_serve.py drives the browser
# kiosk with Playwright; Playwright's own browser download is never used), zbar-tools (zbarimg
# reads the QR codes on screenshots, tests/functional/test_qr_scan.py). Installed only when missing.
DEBIAN_TEST_PACKAGES := espeak-ng librsvg2-bin chromium chromium-driver zbar-tools
# The boot test (tests/boot/, `make test-deploy`) builds a small Debian 12 machine from
# Debian's packages (mmdebstrap), boots it under qemu (plain emulation) and reads its screen
# (tesseract-ocr reads the graphical launchers' screenshots; the text console is read as text).
DEBIAN_BOOT_TEST_PACKAGES := qemu-system-x86 qemu-utils mmdebstrap e2fsprogs tesseract-ocr

.PHONY: run test lint format bench validate debian-packages clean bundle

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The kiosk's bytecode, as a regular install would have it: an editable install does not
# compile it, and where PYTHONDONTWRITEBYTECODE is set every start would compile it again.
.PHONY: bytecode
bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q kiosk

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed bytecode
	$(BIN)/kiosk run

validate: $(VENV)/.installed
	$(BIN)/kiosk validate

# Pictures of every screen in preview/index.html (see docs/staff.md, "Step 3").
.PHONY: preview docs
preview: $(VENV)/.installed
	$(BIN)/kiosk preview --out preview/

# kiosk/bundled_content is a real copy of content/ (the kiosk's fallback when staff content is
# broken at start). Run after every change to content/ that should ship; a test checks it.
bundle:
	rm -rf kiosk/bundled_content
	$(PYTHON) -c "import shutil; shutil.copytree('content', 'kiosk/bundled_content', ignore=shutil.ignore_patterns('.*'))"

# Regenerate the "Every field of the content files" part of docs/staff.md from the code.
docs: $(VENV)/.installed
	$(BIN)/python -m kiosk.tools.staffdoc docs/staff.md

# What make deb, test-deb and test-ansible need from Debian (not make test): mmdebstrap for the
# throw-away roots, Debian's python3-venv for the package's venv, git and gpg for the content.
PACKAGING_PACKAGES := mmdebstrap python3-venv git gpg
.PHONY: packaging-packages
packaging-packages:
	@$(MAKE) --no-print-directory debian-packages DEBIAN_TEST_PACKAGES="$(PACKAGING_PACKAGES)"

debian-packages:
	@$(MAKE) --no-print-directory install-debian-packages PACKAGES="$(DEBIAN_TEST_PACKAGES)"

debian-boot-test-packages:
	@$(MAKE) --no-print-directory install-debian-packages PACKAGES="$(DEBIAN_BOOT_TEST_PACKAGES)"

.PHONY: install-debian-packages debian-boot-test-packages test-deploy
install-debian-packages:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

test: $(VENV)/.installed-test debian-packages lint-ansible
	$(BIN)/ruff check kiosk tests benchmarks
	$(BIN)/ruff format --check kiosk tests benchmarks
	$(BIN)/mypy
	$(BIN)/kiosk validate
	$(BIN)/python -m pytest

# The boot test: every launcher in deploy/ installed by deploy/README.md in a Debian 12 machine
# under qemu and booted under systemd (tests/boot/). The machine's base image is kept in
# $$KIOSK_BOOT_CACHE (default ~/.cache/kiosk-boot-test); screenshots go to
# $$KIOSK_BOOT_ARTIFACTS (default /tmp/kiosk-boot-test).
# It also installs the Debian package (`make deb`) on a second machine (section 1b of the guide).
test-deploy: $(VENV)/.installed-test debian-boot-test-packages deb
	KIOSK_DEB=$(CURDIR)/dist/iop-kiosk_$(DEB_VERSION)_$$(dpkg --print-architecture).deb \
	  $(BIN)/python -m pytest -p no:cacheprovider -m boot tests/boot -v

lint: $(VENV)/.installed-test
	$(BIN)/ruff check kiosk tests benchmarks
	$(BIN)/ruff format --check kiosk tests benchmarks
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix kiosk tests benchmarks
	$(BIN)/ruff format kiosk tests benchmarks

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks $(if $(EVENTS),--events $(EVENTS),)

# The Debian 12 package (packaging/debian/build-deb.sh says what is in it and why dpkg-deb).
# Needs Debian's python3 and python3-venv; fetches the kiosk's wheels from PyPI.
DEB_VERSION ?= $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
.PHONY: deb test-deb
deb: packaging-packages
	bash packaging/debian/build-deb.sh dist $(DEB_VERSION)

# Slow (minutes): installs the package with apt in a throw-away Debian 12 root (mmdebstrap),
# upgrades it, checks conffiles, the kiosk user and `kiosk validate`. Roots are cached in
# $(KIOSK_TEST_CACHE), outside the clone.
KIOSK_TEST_CACHE ?= $(HOME)/.cache/kiosk-tests
test-deb: $(VENV)/.installed-test deb
	KIOSK_DEB=$(CURDIR)/dist/iop-kiosk_$(DEB_VERSION)_$$(dpkg --print-architecture).deb \
	  KIOSK_TEST_CACHE=$(KIOSK_TEST_CACHE) $(BIN)/python -m pytest -p no:cacheprovider tests/packaging/test_deb.py -v

# ansible-lint of deploy/ansible, in a venv of its own (.venv-ansible): pinned in
# deploy/ansible/requirements-lint.txt, apart from the kiosk's own dependencies.
ANSIBLE_VENV := .venv-ansible
$(ANSIBLE_VENV)/.installed: deploy/ansible/requirements-lint.txt
	$(PYTHON) -m venv $(ANSIBLE_VENV)
	$(ANSIBLE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(ANSIBLE_VENV)/bin/python -m pip install --quiet -r deploy/ansible/requirements-lint.txt
	touch $@
.PHONY: lint-ansible test-ansible
lint-ansible: $(ANSIBLE_VENV)/.installed
	cd deploy/ansible && PATH=$(CURDIR)/$(ANSIBLE_VENV)/bin:$$PATH ansible-lint

# Slow (minutes): the roll-out for real, ansible-pull in a throw-away Debian 12 root.
test-ansible: $(VENV)/.installed-test lint-ansible deb
	KIOSK_DEB=$(CURDIR)/dist/iop-kiosk_$(DEB_VERSION)_$$(dpkg --print-architecture).deb \
	  KIOSK_TEST_CACHE=$(KIOSK_TEST_CACHE) $(BIN)/python -m pytest -p no:cacheprovider tests/packaging/test_ansible.py -v

clean:
	rm -rf $(VENV) $(ANSIBLE_VENV) .pytest_cache .ruff_cache .hypothesis *.egg-info
