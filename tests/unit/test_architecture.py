"""The layout of ``kiosk/`` is its architecture: these tests keep it so.

Pure logic (the content pipeline, the rules, the settings) runs without Textual, so it can be
read and tested on its own; screens and widgets never reach for the app module, so they get
their data down and send what happened up (docs/architecture.md).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KIOSK = ROOT / "kiosk"
PURE_MODULES = sorted(
    ["kiosk.config"]
    + [
        f"kiosk.{folder}.{path.stem}"
        for folder in ("content", "rules")
        for path in (KIOSK / folder).glob("*.py")
        if path.stem != "__init__"
    ]
)


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_logic_runs_without_textual(module: str) -> None:
    # A fresh interpreter: in this one, other tests have imported Textual long ago.
    code = f"import sys, {module}; print('textual' in sys.modules or 'rich' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "False", f"{module} imports Textual or Rich"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path",
    sorted([*(KIOSK / "screens").glob("*.py"), *(KIOSK / "widgets").glob("*.py")]),
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_screens_and_widgets_never_import_the_app(path: Path) -> None:
    assert "kiosk.app" not in _imports(path), f"{path.name}: ask through KioskServices instead"


def test_the_pure_module_list_is_not_empty() -> None:
    # If the folders moved, the test above would pass by testing nothing.
    assert {"kiosk.content.model", "kiosk.rules.selfcheck", "kiosk.config"} <= set(PURE_MODULES)
