"""The deployment guide's shell steps, read from deploy/README.md, for the boot test to run.

The test does not have its own idea of how to install the kiosk: it runs the guide's own
```` ```sh ```` blocks, unchanged, in the guest. So the guide is what the test did, step by step,
and a step that is wrong in the guide fails the test.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.boot.image import GUIDE

BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
HEADING = re.compile(r"^(#{2,3}) (.+)$", re.MULTILINE)


def section_blocks(heading_prefix: str, guide: Path = GUIDE) -> list[str]:
    """The shell blocks under the heading that starts with ``heading_prefix`` (up to the next
    heading of the same or a higher level), in order."""
    text = guide.read_text(encoding="utf-8")
    headings = list(HEADING.finditer(text))
    for index, heading in enumerate(headings):
        if heading.group(2).startswith(heading_prefix):
            level = len(heading.group(1))
            end = len(text)
            for later in headings[index + 1 :]:
                if len(later.group(1)) <= level:
                    end = later.start()
                    break
            return BLOCK.findall(text, heading.end(), end)
    raise LookupError(f"deploy/README.md has no heading starting with {heading_prefix!r}")


def install_step(heading_prefix: str) -> str:
    """The first shell block of a section: the commands that install that part."""
    blocks = section_blocks(heading_prefix)
    if not blocks:
        raise LookupError(f"deploy/README.md: no ```sh block under {heading_prefix!r}")
    return blocks[0]
