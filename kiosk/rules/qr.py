"""QR codes of the help lines, as terminal text: pure, no Textual.

A visitor can take a help line home by scanning its code with their own phone. A code holds
only what staff wrote in ``help.yaml`` as a line's ``qr`` target: a phone number to call
(``tel:``), a number to text (``sms:``) or a public web page (``https://``). Nothing a visitor
answers can become a code: :func:`qr_lines` refuses any text that is not such a target, and the
widget (``kiosk/widgets/qr_codes.py``) is only ever given the help lines.

How a code is drawn, and why:

* **segno** makes the matrix (the smallest QR version that holds the target, error correction
  at least L, raised as far as that version allows: a screen is not torn or dirty, and a
  smaller code can have bigger modules).
* **One module is one column wide and half a row tall**, drawn with the half blocks ``▀ ▄ █``
  and a space. A terminal cell is about twice as tall as it is wide, so each module is close to
  square: on the deployment guide's 15.6-inch screen (13 x 27 px cells of 0.18 mm pixels) a
  module is 2.3 x 2.4 mm, and a version-2 code (25 modules) is 5.9 cm wide. Phones read a code
  from about ten times its width, so that is 40-60 cm, and the smaller version-1 codes of
  phone numbers (21 modules, 4.9 cm) still read at 40-50 cm. Two columns per module would need
  66 columns and 33 rows for one code: too big for the lobby's 147 x 40 screen.
* **A quiet zone of 4 modules** (the QR standard's minimum) around every code, part of the
  drawing, so that a code never touches another code or the screen's edge.
* **Dark modules on light**, always: the characters are drawn in the foreground colour on the
  background colour, and the widget sets them to black on white in both themes (many phone
  readers refuse light-on-dark codes).

The largest code allowed is version 3 (29 modules, 37 x 19 cells with its quiet zone): a
target too long for that is a staff problem (:func:`target_problem`), so that every code fits
the screens the kiosk is made for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

#: Modules of light border around every code: the QR standard's minimum quiet zone.
QUIET_ZONE = 4
#: The largest QR version drawn (29 x 29 modules).
MAX_VERSION = 3
#: The longest target staff may write. Every target of this length or less fits
#: :data:`MAX_VERSION` at error level L (53 bytes).
MAX_TARGET_LENGTH = 50

#: A number to call or text: digits, optionally one leading "+" (RFC 3966's global form).
#: No spaces, dashes or brackets: some phones keep them in the number they dial.
_NUMBER = r"\+?[0-9]{2,15}"
#: What a web address may hold besides letters and digits: no spaces, quotes or angle brackets.
_URL_CHARACTERS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
_HOST = r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
# Patterns as text, compiled (and cached by re) at their first use, not when the kiosk starts.


def target_problem(target: str) -> str | None:
    """What is wrong with ``target`` as a QR code's text, in words for staff; None if it is a
    phone number to call (``tel:+14255550100``), a number to text (``sms:988``) or a public web
    page (``https://findtreatment.gov/``)."""
    if len(target) > MAX_TARGET_LENGTH:
        return (
            f"is {len(target)} characters long: a code for it would be too big to scan on the "
            f"kiosk's screen; use an address of at most {MAX_TARGET_LENGTH} characters"
        )
    scheme, _, rest = target.partition(":")
    if scheme in ("tel", "sms"):
        if not re.fullmatch(_NUMBER, rest):
            return (
                f"must be {scheme}: and the number's digits only, with no spaces or dashes, "
                f"e.g. {scheme}:988 or {scheme}:+14255550100"
            )
        return None
    if scheme == "https":
        return _web_problem(target)
    return (
        "must start with tel: (a number to call), sms: (a number to text) or https:// "
        "(a public web page)"
    )


def _web_problem(target: str) -> str | None:
    if not target.startswith("https://") or not re.fullmatch(_URL_CHARACTERS, target):
        return "must be a web address like https://findtreatment.gov/, with no spaces or quotes"
    parts = urlsplit(target)
    if parts.username is not None or parts.password is not None or parts.port is not None:
        return "must not hold a user name, a password or a port: give the page's plain address"
    if not re.fullmatch(_HOST, parts.netloc):  # not .hostname: it lowers the case
        return "must name a public web site in lower case, e.g. https://findtreatment.gov/"
    return None


@dataclass(frozen=True)
class QrDrawing:
    """One code drawn as lines of text: ``▀ ▄ █`` and spaces, quiet zone included."""

    target: str
    version: int
    #: Modules across, quiet zone included (also the width in columns).
    modules: int
    lines: tuple[str, ...]

    @property
    def width(self) -> int:
        return self.modules

    @property
    def height(self) -> int:
        return len(self.lines)


#: Two modules, top and bottom (True = dark), and the character that draws them.
_HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


@lru_cache(maxsize=64)
def qr_lines(target: str) -> QrDrawing:
    """The QR code of ``target`` as half-block text. Raises ``ValueError`` for any text that is
    not a help-line target (:func:`target_problem`): nothing else may ever become a code."""
    problem = target_problem(target)
    if problem is not None:
        raise ValueError(f"not a help-line QR target: it {problem}")
    # Imported here, not at the top: segno takes about 28 ms to import, and the kiosk's first
    # frame (which loads this module with the content) needs no code.
    import segno

    code = segno.make_qr(target, error="L", boost_error=True)
    # segno types version as int | str ("M1" … for Micro QR codes, which make_qr never makes).
    if not isinstance(code.version, int) or code.version > MAX_VERSION:  # pragma: no cover
        raise ValueError(f"the code would be version {code.version}, over {MAX_VERSION}")
    matrix = [[bool(module) for module in row] for row in code.matrix_iter(border=QUIET_ZONE)]
    return QrDrawing(
        target=target,
        version=int(code.version),
        modules=len(matrix),
        lines=tuple(half_blocks(matrix)),
    )


def half_blocks(matrix: list[list[bool]]) -> list[str]:
    """Rows of modules (True = dark) two at a time as lines of ``▀ ▄ █`` and spaces.

    An odd last row is paired with a light row below it. The quiet zone has an even number of
    rows (4 + 4), and QR codes an odd number of modules, so a drawn code always has one: the
    last line's lower halves are light, which only widens the quiet zone by half a module.
    """
    lines: list[str] = []
    for top_index in range(0, len(matrix), 2):
        top = matrix[top_index]
        bottom = matrix[top_index + 1] if top_index + 1 < len(matrix) else [False] * len(top)
        lines.append("".join(_HALF_BLOCKS[pair] for pair in zip(top, bottom, strict=True)))
    return lines


#: Columns and rows of the largest code (version 3 with its quiet zone).
MAX_DRAWING_WIDTH = 17 + 4 * MAX_VERSION + 2 * QUIET_ZONE
MAX_DRAWING_HEIGHT = (MAX_DRAWING_WIDTH + 1) // 2
