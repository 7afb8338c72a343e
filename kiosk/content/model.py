"""Everything a visitor reads, loaded from ``content/<language>/*.yaml`` into immutable models.

Data flows one way: files -> :func:`load_content` -> frozen models -> screens. Screens never open
files. Every mistake a staff member can make (YAML syntax, a missing or unknown key, a wrong type,
a rule that names a question or a result that does not exist, a duplicate id) comes back as a
:class:`~kiosk.content.yamlsource.Problem` (``file:line: message``), all of them at once.

The files of one language:

``ui.yaml``        every label, title and short sentence of the screens
``help.yaml``      the clinic's phone line and the other help lines
``learn.yaml``     the Learn sections, in the order of their tabs
``compare.yaml``   the comparison rows and the treatment options
``selfcheck.yaml`` the self-check's questions, results and rules (with the reasons)
``sources.yaml``   where the comparison's facts come from, and when they were last checked
"""

from __future__ import annotations

import datetime
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from kiosk.content.site_layer import SITES_FOLDER, Replaced, SiteLayer, read_site
from kiosk.content.validation import InvalidDocument, location_name, validate
from kiosk.content.yamlsource import Location, Problem, SourceDocument, SourceError, read_yaml
from kiosk.rules.qr import target_problem

#: The three answers a visitor can give to a self-check question.
Answer = Literal["yes", "no", "not_sure"]
ANSWERS: tuple[Answer, ...] = ("yes", "no", "not_sure")

#: The longest text of any one field (fields that need less say so in their own type). The
#: longest the kiosk has is about 260 characters; a paragraph much longer is hard to read on a
#: lobby screen, and a megabyte pasted into one field pushed every button off the screen and
#: made each key take seconds. Checked over every text of a file (:func:`_long_texts`).
MAX_TEXT_LENGTH = 600
#: Text a visitor reads: never empty. Surrounding spaces are removed before validation
#: (:func:`strip_text`), so text of only spaces counts as empty.
Text = Annotated[str, Meta(min_length=1)]
#: An id staff give to a thing so that other things can name it: lower case, digits, underscores.
Identifier = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
#: A key a visitor presses to answer: one character (a letter, or a sign such as ?).
AnswerKey = Annotated[str, Meta(min_length=1, max_length=1)]


class Model(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Base of every content model: immutable, and unknown keys are mistakes."""

    def __post_init__(self) -> None:
        # Frozen stops ``model.values = …`` but not ``model.values["x"] = …``: wrap every
        # mapping so that nothing can change it after loading.
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if isinstance(value, dict):
                msgspec.structs.force_setattr(self, name, MappingProxyType(dict(value)))


def strip_text(data: Any) -> Any:
    """``data`` with surrounding spaces removed from every text value (keys are left alone).

    msgspec has no "strip" option; stripping first keeps ``"   "`` an empty text.
    """
    if isinstance(data, str):
        return data.strip()
    if isinstance(data, dict):
        return {key: strip_text(value) for key, value in data.items()}
    if isinstance(data, list):
        return [strip_text(item) for item in data]
    return data


# --------------------------------------------------------------------------------------------
# ui.yaml
# --------------------------------------------------------------------------------------------


class GuideText(Model, frozen=True):
    """What the audio guide says besides the screens' own text (``ui.yaml`` ``guide:``).

    The audio guide is for visitors who cannot see the screen: it says these together with each
    screen's own words. A language that has no ``guide:`` block is guided in the words below
    (English).
    """

    offer: Annotated[
        Text,
        Meta(
            description="Said once, on the welcome screen, when a key is pressed: the key "
            "that starts the audio guide."
        ),
    ] = "For the audio guide, press 5: the key with the raised dot, in the middle of the keypad."
    started: Annotated[
        Text, Meta(description="Said when the guide starts: the keys it offers.")
    ] = (
        "Audio guide on. Tab and the arrows move, Enter chooses, Escape goes back. "
        "0 repeats, the period key reads the whole screen, plus and minus change the volume, "
        "star and slash the speed. 5 turns the guide off."
    )
    ended: Annotated[Text, Meta(description="Said when the guide ends.")] = "Audio guide off."
    button: Annotated[Text, Meta(description="The kind of a focused button.")] = "Button"
    tab: Annotated[Text, Meta(description="The kind of a focused Learn tab.")] = "Tab"
    option: Annotated[
        Text, Meta(description="The kind of a focused option on the Compare screen.")
    ] = "Option"
    text_area: Annotated[Text, Meta(description="The kind of focused text that scrolls.")] = "Text"
    position: Annotated[
        Text, Meta(description="Where a focused control is; uses {number} and {total}.")
    ] = "{number} of {total}"
    welcome_keys: Annotated[
        Text, Meta(description="What a visitor can do on the welcome screen.")
    ] = (
        "Press 1 to learn about IOP, 2 to compare options, 3 for the private self-check, "
        "or H for the help lines. Tab moves between the buttons."
    )
    learn_tab: Annotated[
        Text, Meta(description="The open Learn tab; uses {number}, {total} and {title}.")
    ] = "Tab {number} of {total}, {title}."
    learn_keys: Annotated[Text, Meta(description="What a visitor can do on a Learn tab.")] = (
        "Press Enter to read it; left and right change tabs."
    )
    compare_keys: Annotated[Text, Meta(description="What a visitor can do on Compare.")] = (
        "Tab moves between the options and buttons; Enter picks an option."
    )
    side_by_side: Annotated[
        Text, Meta(description="Says which options are side by side; uses {names}.")
    ] = "{names}."
    table_keys: Annotated[
        Text, Meta(description="What a visitor can do on a screen with a table.")
    ] = "Press the period key to hear it all. Escape goes back."
    help_keys: Annotated[Text, Meta(description="What a visitor can do on the help lines.")] = (
        "Press 0 to hear them again. Escape goes back."
    )
    start_keys: Annotated[Text, Meta(description="Said on the self-check's first page.")] = (
        "Press Enter to start."
    )
    answered: Annotated[
        Text, Meta(description="Confirms an answer, with headphones only; uses {answer}.")
    ] = "You answered {answer}."
    back: Annotated[Text, Meta(description="Said when Back goes one step back.")] = "Back."
    result_keys: Annotated[Text, Meta(description="What a visitor can do on the result.")] = (
        "Press 0 to hear it again. Tab reaches Start over, which erases your answers."
    )
    headphones_needed: Annotated[
        Text,
        Meta(
            description="Said once where the kiosk has no headphones: the self-check is not "
            "spoken; offers the help lines instead."
        ),
    ] = (
        "The self-check needs headphones, and this kiosk has none, so it is not read aloud: "
        "other people could hear your answers. Press H to hear the help lines, or ask the "
        "front desk."
    )
    result_not_spoken: Annotated[
        Text, Meta(description="Said for the result where the kiosk has no headphones.")
    ] = "Your result is on the screen. It is not read aloud here. Press H to hear the help lines."
    louder: Annotated[Text, Meta(description="After the volume went up.")] = "Louder."
    softer: Annotated[Text, Meta(description="After the volume went down.")] = "Softer."
    faster: Annotated[Text, Meta(description="After the speech got faster.")] = "Faster."
    slower: Annotated[Text, Meta(description="After the speech got slower.")] = "Slower."
    limit: Annotated[Text, Meta(description="When the volume or speed cannot go further.")] = (
        "That is the limit."
    )
    idle_keys: Annotated[Text, Meta(description="Said with the idle warning.")] = (
        "Press any key to stay."
    )
    keys_hint: Annotated[
        Text, Meta(description="Added to the keys line where the kiosk has speech.")
    ] = "R Read aloud · 5 Audio guide"


#: Which placeholders each ``guide:`` text may use; every other one must use none.
GUIDE_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "position": frozenset({"number", "total"}),
    "learn_tab": frozenset({"number", "total", "title"}),
    "side_by_side": frozenset({"names"}),
    "answered": frozenset({"answer"}),
}


class UiText(Model, frozen=True):
    """Labels and short sentences used across the screens (``ui.yaml``).

    Texts in braces, such as ``{number}``, are filled in by the kiosk; the loader checks that a
    label uses only the placeholders it is allowed to use.
    """

    language_name: Annotated[
        Text, Meta(description="This language's name in itself, e.g. Español.")
    ]
    language_button: Annotated[
        Text,
        Meta(
            description="The welcome screen's button that opens the list of languages (key L). "
            "Best with the word for Language in English too, e.g. Ngôn ngữ / Language, so "
            "a visitor who reads neither finds it."
        ),
    ]
    language_title: Annotated[
        Text, Meta(description="Title of the list of languages, e.g. Choose a language.")
    ]
    welcome_title: Annotated[Text, Meta(description="Large title on the welcome screen.")]
    welcome_intro: Annotated[Text, Meta(description="One or two sentences under the title.")]
    provider_note: Annotated[Text, Meta(description="Says plainly who provides the kiosk.")]
    learn_button: Annotated[Text, Meta(description="Welcome choice 1.")]
    learn_hint: Annotated[Text, Meta(description="Short line under choice 1.")]
    compare_button: Annotated[Text, Meta(description="Welcome choice 2.")]
    compare_hint: Annotated[Text, Meta(description="Short line under choice 2.")]
    selfcheck_button: Annotated[Text, Meta(description="Welcome choice 3.")]
    selfcheck_hint: Annotated[Text, Meta(description="Short line under choice 3.")]
    help_button: Annotated[Text, Meta(description="Button that opens the help lines screen.")]
    back_button: Annotated[Text, Meta(description="Button that goes back one step.")]
    home_button: Annotated[Text, Meta(description="Button that goes to the welcome screen.")]
    learn_title: Annotated[Text, Meta(description="Title of the Learn screen.")]
    compare_title: Annotated[Text, Meta(description="Title of the Compare screen.")]
    compare_intro: Annotated[Text, Meta(description="How to use the Compare screen.")]
    compare_pick_hint: Annotated[
        Text, Meta(description="Says how many options to pick, e.g. two or three.")
    ]
    compare_selected: Annotated[Text, Meta(description="Word shown on an option that is picked.")]
    compare_not_selected: Annotated[
        Text, Meta(description="Word shown on an option that is not picked.")
    ]
    compare_side_by_side_button: Annotated[
        Text, Meta(description="Shows the picked options side by side.")
    ]
    compare_details_button: Annotated[Text, Meta(description="Opens one option's pros and cons.")]
    compare_clear_button: Annotated[Text, Meta(description="Un-picks every option.")]
    compare_side_by_side_title: Annotated[
        Text, Meta(description="Title above the side-by-side table.")
    ]
    compare_pros_title: Annotated[Text, Meta(description="Heading over an option's pros.")]
    compare_cons_title: Annotated[Text, Meta(description="Heading over an option's cons.")]
    compare_need_more: Annotated[
        Text, Meta(description="Shown when fewer than two options are picked.")
    ]
    compare_more_below: Annotated[
        Text, Meta(description="Says more options are further down the grid.")
    ]
    compare_at_most: Annotated[
        Text,
        Meta(
            description="Shown when a fourth option is tapped: at most three at a time, and how "
            "to take one off."
        ),
    ]
    compare_details_one: Annotated[
        Text,
        Meta(
            description="Shown when pros and cons are asked for with several options picked: "
            "pick one, or use side by side, where each option has its own button."
        ),
    ]
    legend_yes: Annotated[
        Text, Meta(description="Key to the ✔ symbol in the comparison, e.g. Yes.")
    ]
    legend_partly: Annotated[
        Text, Meta(description="Key to the ◐ symbol, e.g. Partly or sometimes.")
    ]
    legend_no: Annotated[Text, Meta(description="Key to the ✘ symbol, e.g. No.")]
    legend_info: Annotated[Text, Meta(description="Key to the • symbol, e.g. Facts.")]
    value_depends: Annotated[
        Text,
        Meta(
            description="Shown, with the ◇ symbol, for every comparison value marked depends, "
            "e.g. Depends on the program — ask. The same words for every option."
        ),
    ]
    sources_title: Annotated[
        Text, Meta(description="Heading over the sources of an option's facts.")
    ]
    reviewed_note: Annotated[
        Text,
        Meta(description="When the content was last checked, and by whom; uses {date} and {by}."),
    ]
    selfcheck_title: Annotated[Text, Meta(description="Title of the self-check.")]
    selfcheck_intro: Annotated[Text, Meta(description="What the self-check is, before it starts.")]
    selfcheck_start_button: Annotated[Text, Meta(description="Starts the self-check.")]
    question_counter: Annotated[Text, Meta(description="Uses {number} and {total}.")]
    answer_yes: Annotated[Text, Meta(description="Answer button.")]
    answer_no: Annotated[Text, Meta(description="Answer button.")]
    answer_not_sure: Annotated[Text, Meta(description="Answer button.")]
    answer_yes_key: Annotated[
        AnswerKey,
        Meta(description="The key that answers Yes: one letter or sign, e.g. Y (Spanish: S)."),
    ]
    answer_no_key: Annotated[AnswerKey, Meta(description="The key that answers No, e.g. N.")]
    answer_not_sure_key: Annotated[
        AnswerKey,
        Meta(description="The key that answers Not sure, e.g. S (Spanish: ? for No sé)."),
    ]
    answer_key_label: Annotated[
        Text,
        Meta(
            description="Shown under each answer button with that answer's key; uses {key}, "
            "e.g. or press {key}."
        ),
    ]
    answer_keys_spoken: Annotated[
        Text,
        Meta(
            description="How read-aloud names the answer keys, in words, e.g. Press Y for Yes, "
            "N for No, or S for Not sure. (A sign such as ? is written as it is said.)"
        ),
    ]
    answer_taken: Annotated[
        Text,
        Meta(
            description="Shown (and, with headphones, spoken) on the next question once an "
            "answer is taken; uses {number} and {answer}."
        ),
    ]
    answer_taken_spoken: Annotated[
        Text,
        Meta(
            description="Said aloud instead of answer_taken where others could hear: must not "
            "say the answer, e.g. Answer taken."
        ),
    ]
    answer_given: Annotated[
        Text,
        Meta(
            description="Shown on a question the visitor goes back to; uses {answer}, the "
            "answer given before."
        ),
    ]
    result_title: Annotated[Text, Meta(description="Title of the result screen.")]
    result_reasons_title: Annotated[
        Text, Meta(description="Heading over the reasons: the answers that decided the result.")
    ]
    result_talk_over_title: Annotated[
        Text,
        Meta(
            description="Heading over the other answers worth talking over with staff (neutral: "
            "they did not decide the result)."
        ),
    ]
    result_options_title: Annotated[
        Text, Meta(description="Heading over the options the result points to.")
    ]
    not_a_diagnosis: Annotated[Text, Meta(description="Says the result is not a diagnosis.")]
    start_over_button: Annotated[
        Text, Meta(description="Erases the answers and goes to the start.")
    ]
    privacy_note: Annotated[Text, Meta(description="Nothing is saved, sent or printed.")]
    help_title: Annotated[Text, Meta(description="Title of the help lines screen.")]
    help_intro: Annotated[Text, Meta(description="One sentence above the help lines.")]
    help_over_selfcheck_note: Annotated[
        Text,
        Meta(
            description="Shown first on the help screen opened in the middle of the self-check: "
            "the answers are kept, and Back returns to the question."
        ),
    ]
    qr_note: Annotated[
        Text,
        Meta(
            description="One short line by the QR codes: scan with your own phone; the codes "
            "hold only these public numbers and pages, never your answers."
        ),
    ]
    keys_hint: Annotated[Text, Meta(description="Shortcut keys shown at the bottom of screens.")]
    hide_button: Annotated[Text, Meta(description="Quick-hide button: clears the screen at once.")]
    high_contrast_button: Annotated[Text, Meta(description="Switches to the high-contrast theme.")]
    read_aloud_button: Annotated[
        Text, Meta(description="Reads the screen aloud; pressed again, stops.")
    ]
    speech_private_note: Annotated[
        Text,
        Meta(
            description="Spoken instead of self-check questions and results when the kiosk has no "
            "headphones: says why."
        ),
    ]
    normal_contrast_button: Annotated[Text, Meta(description="Switches back to the normal theme.")]
    larger_text_button: Annotated[
        Text,
        Meta(description="Makes the letters larger (shown only in the browser kiosk)."),
    ]
    normal_text_button: Annotated[
        Text, Meta(description="Makes the letters their normal size again.")
    ]
    idle_title: Annotated[Text, Meta(description="Title of the 'are you still there?' warning.")]
    idle_message: Annotated[
        Text, Meta(description="Says the kiosk will start over; uses {seconds}.")
    ]
    idle_button: Annotated[Text, Meta(description="Button that keeps the visitor's place.")]
    error_message: Annotated[
        Text, Meta(description="Shown after an unexpected error, before restarting.")
    ]
    spoken_as: Annotated[
        Mapping[Text, Text],
        Meta(
            description="How read-aloud says written forms that read badly, as 'written: "
            'spoken\' lines, e.g. "24/7": 24 hours a day, 7 days a week. Phone numbers of '
            "help.yaml are said digit by digit without an entry here."
        ),
    ] = msgspec.field(default_factory=dict)
    guide: Annotated[
        GuideText,
        Meta(
            description="What the audio guide says besides the screens' text (optional: "
            "English where missing)."
        ),
    ] = msgspec.field(default_factory=GuideText)


# Which placeholders each label may use; every other label must use none.
UI_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "question_counter": frozenset({"number", "total"}),
    "idle_message": frozenset({"seconds"}),
    "answer_key_label": frozenset({"key"}),
    "answer_taken": frozenset({"number", "answer"}),
    "answer_given": frozenset({"answer"}),
    "reviewed_note": frozenset({"date", "by"}),
}

#: Keys the kiosk itself uses on every screen (kiosk/app.py and kiosk/screens/base.py), by the
#: character typed. An answer key must be none of these, or pressing it would do two things.
#: tests/functional/test_selfcheck_keys.py checks this list against the app's bindings.
#: 5 starts the audio guide; 0 + - * / . are its keypad keys (kiosk/parts/audio_guide.py);
#: L opens the list of languages.
RESERVED_KEYS: frozenset[str] = frozenset(
    {"1", "2", "3", "h", "l", "x", "r", " ", "5", "0", "+", "-", "*", "/", "."}
)
#: Keys without a character that the kiosk uses (for the staff guide and the check's message).
RESERVED_KEY_NAMES: tuple[str, ...] = (
    "Escape",
    "F1",
    "F12",
    "Tab",
    "Enter",
    "arrows",
    "Page Up",
    "Page Down",
)


# --------------------------------------------------------------------------------------------
# help.yaml
# --------------------------------------------------------------------------------------------


class QrTarget(Model, frozen=True):
    """A QR code a visitor can scan to take a help line home (``kiosk/rules/qr.py`` draws it)."""

    label: Annotated[
        Text,
        Meta(max_length=28, description="Says what the code does, e.g. Call 988 or Text 988."),
    ]
    target: Annotated[
        Text,
        Meta(
            description="What the phone opens: tel:988 (call), sms:988 (text) or a public web "
            "page such as https://findtreatment.gov/. Digits only after tel: and sms:."
        ),
    ]


#: The QR codes of one help line (none unless staff write them).
QrTargets = Annotated[
    tuple[QrTarget, ...],
    Meta(
        max_length=3,
        description="Optional QR codes for this line, each a label and a target: only public "
        "numbers and web pages, never anything about a visitor.",
    ),
]


class HelpLine(Model, frozen=True):
    """One phone line shown on the help and result screens."""

    number: Annotated[Text, Meta(description="The number as a visitor dials it, e.g. 988.")]
    name: Annotated[Text, Meta(description="Who answers, e.g. Suicide & Crisis Lifeline.")]
    detail: Annotated[Text, Meta(description="When to call and what it costs, in a few words.")]
    qr: QrTargets = ()


class HelpText(Model, frozen=True):
    """The clinic's line (on every screen) and the other help lines (``help.yaml``)."""

    clinic_name: Annotated[Text, Meta(description="The clinic's name.")]
    clinic_phone: Annotated[Text, Meta(description="The clinic's phone number.")]
    clinic_hours: Annotated[Text, Meta(description="When the clinic line answers, e.g. 24/7.")]
    clinic_detail: Annotated[Text, Meta(description="One sentence on what the clinic line is for.")]
    bar: Annotated[
        Text, Meta(description="The help bar on every screen; uses {phone} and {hours}.")
    ]
    more_lines: Annotated[
        tuple[HelpLine, ...],
        Meta(
            min_length=1,
            description="Other help lines, shown on the help and result screens.",
        ),
    ]
    clinic_qr: QrTargets = ()

    @property
    def qr_targets(self) -> tuple[QrTarget, ...]:
        """Every QR code of the help lines, the clinic's first: all a QR code may show."""
        return self.clinic_qr + tuple(code for line in self.more_lines for code in line.qr)

    @property
    def bar_text(self) -> str:
        """The help bar with the clinic's phone number and hours filled in."""
        return self.bar.format(phone=self.clinic_phone, hours=self.clinic_hours)


# --------------------------------------------------------------------------------------------
# learn.yaml
# --------------------------------------------------------------------------------------------


# kw_only: the optional heading comes before the required points, as staff write them.
class BulletList(Model, frozen=True, kw_only=True):
    """A list of short points, with an optional heading above it."""

    heading: Annotated[Text | None, Meta(description="Optional heading over the points.")] = None
    points: Annotated[
        tuple[Text, ...], Meta(min_length=1, description="The points, one idea each.")
    ]


#: A block of a Learn section: a paragraph (plain text) or a list of points.
Block = Text | BulletList


class Section(Model, frozen=True):
    """One Learn tab."""

    id: Annotated[
        Identifier, Meta(description="A short id, unique in the file, e.g. dual_diagnosis.")
    ]
    title: Annotated[
        Text,
        Meta(
            max_length=16,
            description="The tab's label: at most 16 characters, to fit four across.",
        ),
    ]
    summary: Annotated[Text, Meta(description="One or two sentences that open the tab.")]
    blocks: Annotated[
        tuple[Block, ...],
        Meta(
            min_length=1,
            description="Paragraphs (plain text) and lists of points (heading + points).",
        ),
    ]

    def plain_text(self) -> str:
        """All words of the section, in reading order (for reading level and speech)."""
        parts = [self.title, self.summary]
        for block in self.blocks:
            if isinstance(block, BulletList):
                parts.extend([block.heading] if block.heading else [])
                parts.extend(block.points)
            else:
                parts.append(block)
        return "\n".join(parts)


class LearnText(Model, frozen=True):
    """The Learn sections, in tab order (``learn.yaml``)."""

    sections: Annotated[tuple[Section, ...], Meta(min_length=1, description="One entry per tab.")]


# --------------------------------------------------------------------------------------------
# compare.yaml
# --------------------------------------------------------------------------------------------

#: How a comparison value is marked. The kiosk shows a symbol *and* the words, never colour alone.
#: ``depends``: the value depends on the program; the kiosk then shows the same words
#: (``ui.value_depends``) for every option, so no option is described more kindly.
Mark = Literal["yes", "no", "partly", "info", "depends"]

#: Where a fact comes from: the id of one entry of ``sources.yaml``, or a list of them.
#: Plain text, not :data:`Identifier`: msgspec 0.22.0 corrupts memory (a crash later, in the
#: garbage collector) converting a union whose text member has a ``pattern``. The ids are
#: checked against sources.yaml anyway (:func:`_check_citations`).
SourceIds = Annotated[
    Text | tuple[Text, ...],
    Meta(
        description="Where this fact comes from: the id of a source in sources.yaml, or a "
        "list of ids, e.g. article or [article, asam]."
    ),
]


def source_ids(source: str | tuple[str, ...]) -> tuple[str, ...]:
    """A ``source:`` field as a tuple of ids."""
    return (source,) if isinstance(source, str) else source


class Row(Model, frozen=True):
    """One row of the comparison: a question asked of every option."""

    id: Annotated[
        Identifier, Meta(description="A short id, unique in the file, e.g. lives_at_home.")
    ]
    label: Annotated[Text, Meta(max_length=40, description="The row's label, e.g. Live at home?")]


class Value(Model, frozen=True, kw_only=True):
    """What one option says for one row, and where that comes from."""

    mark: Annotated[
        Mark,
        Meta(
            description="yes, no, partly, info or depends: picks the symbol shown. With "
            "depends, leave out text: the kiosk shows ui.value_depends."
        ),
    ]
    text: Annotated[
        Annotated[Text, Meta(max_length=60)] | None,
        Meta(
            description="A few words, e.g. Yes, you sleep at home. Required unless mark is depends."
        ),
    ] = None
    source: SourceIds

    @property
    def sources(self) -> tuple[str, ...]:
        """The ids of this value's sources."""
        return source_ids(self.source)


class SourcedText(Model, frozen=True):
    """A sentence of the comparison and where it comes from."""

    text: Annotated[Text, Meta(description="The sentence a visitor reads.")]
    source: SourceIds

    @property
    def sources(self) -> tuple[str, ...]:
        """The ids of this sentence's sources."""
        return source_ids(self.source)


class Option(Model, frozen=True):
    """One kind of treatment (or step) in the comparison."""

    id: Annotated[Identifier, Meta(description="A short id, unique in the file, e.g. iop.")]
    name: Annotated[
        Text, Meta(max_length=40, description="Full name, e.g. Intensive outpatient (IOP).")
    ]
    short_name: Annotated[
        Text, Meta(max_length=14, description="Name for narrow columns, e.g. IOP.")
    ]
    summary: Annotated[SourcedText, Meta(description="One or two sentences on what it is.")]
    values: Annotated[Mapping[Identifier, Value], Meta(description="One value for every row id.")]
    pros: Annotated[tuple[SourcedText, ...], Meta(min_length=1, description="Good points.")]
    cons: Annotated[tuple[SourcedText, ...], Meta(min_length=1, description="Drawbacks.")]
    terms: Annotated[
        tuple[Text, ...],
        Meta(
            description="Words that name this option in running text, e.g. [IOP, intensive "
            "outpatient] (whole words; a plural counts; a term in capitals must be written in "
            "capitals). The self-check's checks use them to see which option a sentence speaks "
            "for. Default: the short name."
        ),
    ] = ()

    @property
    def words_for_it(self) -> tuple[str, ...]:
        """The terms that name this option (the short name when none are given)."""
        return self.terms or (self.short_name.rstrip("."),)

    def cited_sources(self) -> tuple[str, ...]:
        """Every source id this option's summary, values, pros and cons cite, first use first."""
        found: dict[str, None] = {}
        items: list[Value | SourcedText] = [self.summary, *self.values.values()]
        items += [*self.pros, *self.cons]
        for item in items:
            found.update(dict.fromkeys(item.sources))
        return tuple(found)


class CompareText(Model, frozen=True):
    """Rows and options of the comparison (``compare.yaml``)."""

    rows: Annotated[tuple[Row, ...], Meta(min_length=1, description="The rows, in order.")]
    options: Annotated[tuple[Option, ...], Meta(min_length=2, description="The options, in order.")]

    def option(self, option_id: str) -> Option:
        """The option with this id."""
        return next(o for o in self.options if o.id == option_id)


# --------------------------------------------------------------------------------------------
# sources.yaml
# --------------------------------------------------------------------------------------------


class Source(Model, frozen=True):
    """One source the comparison's facts come from."""

    id: Annotated[Identifier, Meta(description="A short id, unique in the file, e.g. asam.")]
    title: Annotated[
        Text,
        Meta(
            description="The source as a visitor reads it: who published what, and when, e.g. "
            "ASAM Criteria, 3rd edition (2013)."
        ),
    ]
    url: Annotated[Text | None, Meta(description="Where to find it, e.g. asam.org (optional).")] = (
        None
    )


class Review(Model, frozen=True):
    """The last time someone checked this language's content against its sources."""

    date: Annotated[
        Text,
        Meta(description='The date, in quotes, as year-month-day, e.g. "2026-12-01".'),
    ]
    by: Annotated[Text, Meta(description="Who checked it: a name and role, or a team.")]


class SourcesText(Model, frozen=True):
    """Where the facts come from, and when they were last checked (``sources.yaml``)."""

    reviewed: Annotated[
        Review, Meta(description="Shown on every option screen: update it after each review.")
    ]
    sources: Annotated[
        tuple[Source, ...], Meta(min_length=1, description="Every source a fact may cite.")
    ]

    def source(self, source_id: str) -> Source:
        """The source with this id."""
        return next(s for s in self.sources if s.id == source_id)


# --------------------------------------------------------------------------------------------
# selfcheck.yaml
# --------------------------------------------------------------------------------------------


class Question(Model, frozen=True):
    """One self-check question, asked on its own screen."""

    id: Annotated[Identifier, Meta(description="A short id, unique in the file, e.g. withdrawal.")]
    text: Annotated[Text, Meta(description="The question, answered with Yes, No or Not sure.")]
    explain: Annotated[Text | None, Meta(description="Optional smaller line under it.")] = None
    talk_over: Annotated[
        Mapping[Answer, Text],
        Meta(
            description="For an answer that did not decide the result, a neutral line listed "
            "under 'things to talk over': it must not argue for any option. Every question "
            "needs one for not_sure, unless not_sure always decides (the first rule lists it)."
        ),
    ] = msgspec.field(default_factory=dict)


class Result(Model, frozen=True):
    """One possible result of the self-check."""

    id: Annotated[
        Identifier, Meta(description="A short id, unique in the file, e.g. medical_first.")
    ]
    heading: Annotated[Text, Meta(description="Which way the answers lean, in a few words.")]
    message: Annotated[Text, Meta(description="Two or three sentences on what to do next.")]
    points_to: Annotated[
        tuple[Identifier, ...],
        Meta(
            description="The ids of the options (compare.yaml) this result suggests asking "
            "about; may be empty. A reason may name only these options."
        ),
    ] = ()


class Rule(Model, frozen=True, kw_only=True):
    """If the answers match, this rule picks its result. The first matching rule wins.

    ``when_any`` lists answers per question; the rule matches when at least ``at_least`` of the
    listed questions got one of the listed answers. A rule without ``when_any`` always matches
    and must come last. The result explains itself with the rule's ``reasons``: one line for
    every answer the rule lists, shown only for the answers that made it match. So a reason
    can only ever appear under its own rule's result.
    """

    id: Annotated[
        Identifier, Meta(description="A short id, unique in the file, e.g. dangerous_withdrawal.")
    ]
    result: Annotated[Identifier, Meta(description="The id of the result this rule picks.")]
    when_any: Annotated[
        Mapping[Identifier, tuple[Answer, ...]] | None,
        Meta(description="Question id -> the answers that count for this rule."),
    ] = None
    at_least: Annotated[int, Meta(ge=1, description="How many listed questions must match.")] = 1
    reasons: Annotated[
        Mapping[Identifier, Mapping[Answer, Text]],
        Meta(
            description="Question id -> answer -> the 'You said…' line shown under 'Why we "
            "suggest this' when that answer made this rule match. One for every answer listed "
            "in when_any, and no others."
        ),
    ] = msgspec.field(default_factory=dict)
    reason: Annotated[
        Text | None,
        Meta(
            description="For the last rule (no when_any) only, and required there: the line "
            "that explains its result, e.g. Your answers did not point to one kind of care."
        ),
    ] = None


class SelfCheckText(Model, frozen=True):
    """Questions, results and rules of the self-check (``selfcheck.yaml``)."""

    questions: Annotated[
        tuple[Question, ...], Meta(min_length=1, description="Asked in this order.")
    ]
    results: Annotated[tuple[Result, ...], Meta(min_length=1, description="Every possible result.")]
    rules: Annotated[
        tuple[Rule, ...],
        Meta(min_length=1, description="Checked in order; the last one has no when_any."),
    ]

    def question(self, question_id: str) -> Question:
        """The question with this id."""
        return next(q for q in self.questions if q.id == question_id)

    def result(self, result_id: str) -> Result:
        """The result with this id."""
        return next(r for r in self.results if r.id == result_id)


# --------------------------------------------------------------------------------------------
# One language, and loading
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Content:
    """Everything a visitor reads in one language."""

    language: str
    ui: UiText
    help: HelpText
    learn: LearnText
    compare: CompareText
    selfcheck: SelfCheckText
    sources: SourcesText


#: The files of a language and the model each one is validated into.
FILES: dict[str, type[Model]] = {
    "ui.yaml": UiText,
    "help.yaml": HelpText,
    "learn.yaml": LearnText,
    "compare.yaml": CompareText,
    "selfcheck.yaml": SelfCheckText,
    "sources.yaml": SourcesText,
}


class ContentError(Exception):
    """Content could not be loaded; ``problems`` lists every mistake found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class ContentLibrary:
    """Every language a lobby shows, in order; the first language is the fallback.

    With a site layer (:mod:`kiosk.content.site_layer`), the lobby's texts are in it already,
    and ``default_language`` may be the site's (else None: ``kiosk.toml``'s).
    """

    folder: Path
    languages: Mapping[str, Content]
    #: The site whose layer is applied ("" for none).
    site: str = ""
    default_language: str | None = None
    #: Every shared text the site replaces (for ``kiosk validate``; empty when from the cache).
    replaced: tuple[Replaced, ...] = ()

    def get(self, language: str) -> Content:
        """The content in ``language``, or in the first language if it is not there."""
        return self.languages.get(language) or next(iter(self.languages.values()))


def load_library(folder: Path, site: str = "") -> ContentLibrary:
    """Load every language folder under ``folder``, with ``site``'s layer (its file in
    ``folder/sites/``) when one is named. Raises :class:`ContentError`.

    English is the reference: every other language must have exactly its ids (sections,
    rows, options, questions, results), so no visitor meets a gap in their language.
    """
    layer: SiteLayer | None = None
    if site and folder.is_dir():
        try:
            layer = read_site(folder, site)
        except SourceError as error:
            raise ContentError(error.problems) from None
    if not folder.is_dir():
        raise ContentError([Problem(folder, 1, "content folder not found")])
    found = language_dirs(folder)
    if not found:
        raise ContentError(
            [Problem(folder, 1, "no language folders found; expected e.g. content/en/")]
        )
    problems: list[Problem] = []
    languages: dict[str, Content] = {}
    documents: dict[str, dict[str, SourceDocument]] = {}
    replaced: list[Replaced] = []
    for language_dir in found:
        try:
            languages[language_dir.name], documents[language_dir.name], edits = _load_language(
                language_dir, layer
            )
            replaced.extend(edits)
        except ContentError as error:
            problems.extend(error.problems)
    reference = languages.get(REFERENCE_LANGUAGE)
    if reference is not None:
        for language, content in languages.items():
            if language != REFERENCE_LANGUAGE:
                problems.extend(
                    _compare_ids(
                        reference, content, documents[REFERENCE_LANGUAGE], documents[language]
                    )
                )
    shown = [language_dir.name for language_dir in found]
    default_language: str | None = None
    if layer is not None:
        shown, wrong = layer.shown_languages(shown)
        problems.extend(wrong)
        default_language = layer.settings.default_language
        if default_language is not None and default_language not in shown:
            problems.append(
                layer.problem(
                    ("default_language",),
                    f"default_language '{default_language}' is not one of this lobby's "
                    f"languages ({', '.join(shown)})",
                )
            )
    if problems:
        raise ContentError(problems)
    return ContentLibrary(
        folder=folder,
        languages=MappingProxyType({language: languages[language] for language in shown}),
        site=site,
        default_language=default_language,
        replaced=tuple(replaced),
    )


#: The language every other language is checked against.
REFERENCE_LANGUAGE = "en"


def language_dirs(folder: Path) -> list[Path]:
    """The language folders in ``folder`` (every folder not starting with a dot, except the
    site files' folder), the reference language first, then by name. Raises ``OSError`` if
    ``folder`` cannot be read."""
    found = sorted(
        path
        for path in folder.iterdir()
        if path.is_dir() and not path.name.startswith(".") and path.name != SITES_FOLDER
    )
    found.sort(key=lambda path: path.name != REFERENCE_LANGUAGE)
    return found


def _id_lists(content: Content) -> dict[tuple[str, str], tuple[str, ...]]:
    """(file, list key) -> the ids in that list, for comparing languages."""
    return {
        ("learn.yaml", "sections"): tuple(s.id for s in content.learn.sections),
        ("compare.yaml", "rows"): tuple(r.id for r in content.compare.rows),
        ("compare.yaml", "options"): tuple(o.id for o in content.compare.options),
        ("selfcheck.yaml", "questions"): tuple(q.id for q in content.selfcheck.questions),
        ("selfcheck.yaml", "results"): tuple(r.id for r in content.selfcheck.results),
        ("selfcheck.yaml", "rules"): tuple(r.id for r in content.selfcheck.rules),
        ("sources.yaml", "sources"): tuple(s.id for s in content.sources.sources),
    }


def _compare_ids(
    reference: Content,
    other: Content,
    reference_documents: Mapping[str, SourceDocument],
    other_documents: Mapping[str, SourceDocument],
) -> list[Problem]:
    """A problem for every id that one language has and the other lacks."""
    problems: list[Problem] = []
    other_lists = _id_lists(other)
    for (file, key), reference_ids in _id_lists(reference).items():
        ids = other_lists[(file, key)]
        document = other_documents[file]
        reference_file = reference_documents[file]
        kind = key.removesuffix("s")
        for index, item_id in enumerate(reference_ids):
            if item_id not in ids:
                line = reference_file.line_of((key, index, "id"))
                problems.append(
                    document.problem(
                        (key,),
                        f"{kind} '{item_id}' is missing in this language: translate it from "
                        f"{reference_file.file}:{line}",
                    )
                )
        for index, item_id in enumerate(ids):
            if item_id not in reference_ids:
                problems.append(
                    document.problem(
                        (key, index, "id"),
                        f"{kind} '{item_id}' is not in {reference_file.file}: fix the id or add "
                        "it to English too",
                    )
                )
    return problems


def load_content(folder: Path) -> Content:
    """Load one language folder. Raises :class:`ContentError` listing every mistake."""
    return _load_language(folder)[0]


def _load_language(
    folder: Path, layer: SiteLayer | None = None
) -> tuple[Content, dict[str, SourceDocument], list[Replaced]]:
    """Load one language folder, with a site's texts put in first (``layer``); also return
    its documents (for line numbers) and the shared texts the site replaced."""
    problems: list[Problem] = []
    replaced: list[Replaced] = []
    models: dict[str, Any] = {}
    documents: dict[str, SourceDocument] = {}
    for name in FILES:
        file = folder / name
        if not file.is_file():
            problems.append(Problem(file, 1, f"file missing: every language needs {name}"))
            continue
        try:
            document = read_yaml(file)
        except SourceError as error:
            problems.extend(error.problems)
            continue
        # The stripped data has the same keys and lists, so its locations keep their lines.
        documents[name] = replace(document, data=strip_text(document.data))
    if layer is not None:
        # Before every check: a lobby's texts pass the same checks as the shared ones.
        documents, replaced, wrong = layer.apply(folder.name, documents)
        problems.extend(wrong)
    for name, document in documents.items():
        too_long = _long_texts(document, document.data, ())
        if too_long:
            problems.extend(too_long)
            continue
        try:
            models[name] = validate(document, FILES[name])
        except InvalidDocument as error:
            problems.extend(error.problems)
    # Cross-checks need the models; run them for every file that validated.
    for name, check in _CHECKS.items():
        if name in models:
            problems.extend(check(documents[name], models[name]))
    # And checks across files (a self-check result names compare.yaml's options, a value
    # cites sources.yaml), once each file they read is valid on its own.
    problems.extend(_check_across_files(documents, models))
    if problems:
        raise ContentError(sorted(problems, key=lambda p: (str(p.file), p.line)))
    content = Content(
        language=folder.name,
        ui=models["ui.yaml"],
        help=models["help.yaml"],
        learn=models["learn.yaml"],
        compare=models["compare.yaml"],
        selfcheck=models["selfcheck.yaml"],
        sources=models["sources.yaml"],
    )
    return content, documents, replaced


# --------------------------------------------------------------------------------------------
# Cross-checks: things a schema alone cannot see
# --------------------------------------------------------------------------------------------


def _long_texts(document: SourceDocument, data: Any, location: Location) -> list[Problem]:
    """A problem for every text longer than :data:`MAX_TEXT_LENGTH`, wherever it is."""
    if isinstance(data, str):
        if len(data) <= MAX_TEXT_LENGTH:
            return []
        return [
            document.problem(
                location,
                f"{location_name(location)} is too long to fit on screen: keep it to "
                f"{MAX_TEXT_LENGTH} characters or fewer (it has {len(data):,})",
            )
        ]
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    return [
        problem
        for key, value in items
        for problem in _long_texts(document, value, (*location, key))
    ]


def _duplicates(
    document: SourceDocument, items: Iterable[Any], list_key: str, kind: str
) -> list[Problem]:
    """A problem for every id used twice in the list at ``list_key``."""
    problems: list[Problem] = []
    first_index: dict[str, int] = {}
    for index, item in enumerate(items):
        if item.id in first_index:
            first_line = document.line_of((list_key, first_index[item.id], "id"))
            problems.append(
                document.problem(
                    (list_key, index, "id"),
                    f"duplicate {kind} id '{item.id}' (first used on line {first_line}): "
                    "give each one its own id",
                )
            )
        else:
            first_index[item.id] = index
    return problems


#: The answer-key fields of ui.yaml, with the answer each one gives.
ANSWER_KEY_FIELDS: dict[str, Answer] = {
    "answer_yes_key": "yes",
    "answer_no_key": "no",
    "answer_not_sure_key": "not_sure",
}


def answer_keys(ui: UiText) -> dict[str, Answer]:
    """The answer each key gives (keys in lower case: a key works in either case)."""
    return {getattr(ui, field).lower(): answer for field, answer in ANSWER_KEY_FIELDS.items()}


def _check_ui(document: SourceDocument, ui: UiText) -> list[Problem]:
    problems: list[Problem] = []
    for name in UiText.__struct_fields__:
        value = getattr(ui, name)
        if isinstance(value, str):
            allowed = UI_PLACEHOLDERS.get(name, frozenset())
            problems.extend(_check_placeholders(document, (name,), value, allowed))
    for name in GuideText.__struct_fields__:
        allowed = GUIDE_PLACEHOLDERS.get(name, frozenset())
        text = getattr(ui.guide, name)
        problems.extend(_check_placeholders(document, ("guide", name), text, allowed))
    # A visitor presses the key they read next to the buttons: it must give that answer, and
    # only that one (in Spanish S is Sí, so No sé needs another key).
    first_use: dict[str, str] = {}
    for field in ANSWER_KEY_FIELDS:
        key = getattr(ui, field).lower()
        if not (key.isascii() and key.isprintable()):
            # The lobby's keyboards are US keyboards: a visitor must be able to type the key
            # they read (Д or 是 cannot be typed there). A letter that starts the answer's
            # word when written in Latin letters serves, or a sign such as ?.
            problems.append(
                document.problem(
                    (field,),
                    f"{field} is '{key}', which a US keyboard cannot type: use a letter "
                    "A-Z or a sign such as ? (e.g. D for Да, or the first letter of the "
                    "answer written in Latin letters)",
                )
            )
        elif key in RESERVED_KEYS:
            shown = "the space bar" if key == " " else f"'{key.upper()}'"
            problems.append(
                document.problem(
                    (field,),
                    f"{field} is {shown}, which the kiosk already uses on every screen "
                    f"(1 2 3 H L X R, 5 0 + - * / ., space, {', '.join(RESERVED_KEY_NAMES)}): "
                    "pick another "
                    "key",
                )
            )
        elif key in first_use:
            problems.append(
                document.problem(
                    (field,),
                    f"{field} is '{key.upper()}', the same key as {first_use[key]}: each "
                    "answer needs its own key (a key works in upper and lower case)",
                )
            )
        else:
            first_use[key] = field
    return problems


def _check_placeholders(
    document: SourceDocument, location: Location, text: str, allowed: frozenset[str]
) -> list[Problem]:
    """Placeholders in braces must be known ones; a stray brace is a mistake too."""
    try:
        used = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return [
            document.problem(
                location, f"{location_name(location)} has an unmatched '{{' or '}}': remove it"
            )
        ]
    unknown = sorted(used - allowed)
    if not unknown:
        return []
    hint = (
        f"only {', '.join('{' + a + '}' for a in sorted(allowed))} can be used here"
        if allowed
        else "this text cannot use any {…} placeholders"
    )
    return [
        document.problem(
            location,
            f"{location_name(location)} uses unknown placeholder "
            f"{', '.join('{' + u + '}' for u in unknown)}: {hint}",
        )
    ]


def _check_help(document: SourceDocument, help_text: HelpText) -> list[Problem]:
    problems = _check_placeholders(document, ("bar",), help_text.bar, frozenset({"phone", "hours"}))
    places: list[tuple[Location, tuple[QrTarget, ...]]] = [(("clinic_qr",), help_text.clinic_qr)]
    places += [(("more_lines", i, "qr"), line.qr) for i, line in enumerate(help_text.more_lines)]
    for location, codes in places:
        for index, code in enumerate(codes):
            problem = target_problem(code.target)
            if problem is not None:
                where = (*location, index, "target")
                problems.append(
                    document.problem(where, f"{location_name(where)} {code.target!r} {problem}")
                )
    return problems


def _check_learn(document: SourceDocument, learn: LearnText) -> list[Problem]:
    return _duplicates(document, learn.sections, "sections", "section")


def _check_compare(document: SourceDocument, compare: CompareText) -> list[Problem]:
    problems = _duplicates(document, compare.rows, "rows", "row")
    problems += _duplicates(document, compare.options, "options", "option")
    row_ids = [row.id for row in compare.rows]
    for index, option in enumerate(compare.options):
        for row_id in option.values:
            if row_id not in row_ids:
                problems.append(
                    document.problem(
                        ("options", index, "values", row_id),
                        f"option '{option.id}' has a value for row '{row_id}', which is not in "
                        f"rows: use one of {', '.join(row_ids)}",
                    )
                )
        missing = [row_id for row_id in row_ids if row_id not in option.values]
        if missing:
            problems.append(
                document.problem(
                    ("options", index, "values"),
                    f"option '{option.id}' has no value for row(s) {', '.join(missing)}: "
                    "every option needs a value for every row",
                )
            )
        for row_id, value in option.values.items():
            where = ("options", index, "values", row_id)
            if value.mark == "depends" and value.text is not None:
                problems.append(
                    document.problem(
                        where,
                        f"option '{option.id}', row '{row_id}' is marked depends and has text: "
                        "remove the text. A value that depends on the program is shown the same "
                        "way for every option (ui.yaml value_depends)",
                    )
                )
            elif value.mark != "depends" and value.text is None:
                problems.append(
                    document.problem(
                        where,
                        f"option '{option.id}', row '{row_id}' has no text: add a few words, "
                        "or use mark: depends if it depends on the program",
                    )
                )
        # Decision-aid rule: pros and cons get equal space, so neither side looks stronger.
        if len(option.pros) != len(option.cons):
            problems.append(
                document.problem(
                    ("options", index, "cons"),
                    f"option '{option.id}' has {len(option.pros)} pros and {len(option.cons)} "
                    "cons: give it the same number of each so both sides get equal space",
                )
            )
        else:
            pros, cons = text_length(option.pros), text_length(option.cons)
            if not lengths_balanced(pros, cons):
                longer = "pros" if pros > cons else "cons"
                problems.append(
                    document.problem(
                        ("options", index, longer),
                        f"option '{option.id}' has {pros} characters of pros and {cons} of "
                        f"cons: shorten the {longer} or add to the others, so neither side looks "
                        f"stronger (they may differ by {PROS_CONS_SLACK} characters or "
                        f"{PROS_CONS_TOLERANCE:.0%} of the longer side, whichever is more)",
                    )
                )
    return problems


#: Pros and cons of an option may differ in length by this share of the longer side …
PROS_CONS_TOLERANCE = 0.2
#: … or by this many characters, whichever is more (two short lists may differ by a word).
PROS_CONS_SLACK = 12


def text_length(items: Iterable[SourcedText]) -> int:
    """Characters of a list of pros or cons, spaces between words counted once."""
    return sum(len(" ".join(item.text.split())) for item in items)


def lengths_balanced(first: int, second: int) -> bool:
    """Whether two lengths of text are close enough to get equal space (see above)."""
    return abs(first - second) <= max(PROS_CONS_SLACK, PROS_CONS_TOLERANCE * max(first, second))


def _check_selfcheck(document: SourceDocument, selfcheck: SelfCheckText) -> list[Problem]:
    problems = _duplicates(document, selfcheck.questions, "questions", "question")
    problems += _duplicates(document, selfcheck.results, "results", "result")
    problems += _duplicates(document, selfcheck.rules, "rules", "rule")
    question_ids = [question.id for question in selfcheck.questions]
    result_ids = [result.id for result in selfcheck.results]
    for index, rule in enumerate(selfcheck.rules):
        name = f"rule '{rule.id}'"
        if rule.result not in result_ids:
            problems.append(
                document.problem(
                    ("rules", index, "result"),
                    f"{name} names result '{rule.result}', which does not exist: "
                    f"use one of {', '.join(result_ids)}",
                )
            )
        is_last = index == len(selfcheck.rules) - 1
        if rule.when_any is None:
            if not is_last:
                problems.append(
                    document.problem(
                        ("rules", index),
                        f"{name} has no when_any, so it always matches and the rules "
                        "after it can never be used: move it to the end",
                    )
                )
            problems += _check_fallback_reason(document, index, rule)
            continue
        for question_id in rule.when_any:
            if question_id not in question_ids:
                problems.append(
                    document.problem(
                        ("rules", index, "when_any", question_id),
                        f"{name} names question '{question_id}', which does not exist: "
                        f"use one of {', '.join(question_ids)}",
                    )
                )
        if rule.at_least > len(rule.when_any):
            problems.append(
                document.problem(
                    ("rules", index, "at_least"),
                    f"{name} needs {rule.at_least} matches but lists only "
                    f"{len(rule.when_any)} question(s): lower at_least or list more",
                )
            )
        problems += _check_rule_reasons(document, index, rule, question_ids)
        if is_last:
            problems.append(
                document.problem(
                    ("rules", index),
                    "the last rule must have no when_any, so that every set of answers gets a "
                    "result: add a last rule with only 'id:', 'result:' and 'reason:'",
                )
            )
    used = {rule.result for rule in selfcheck.rules}
    for index, result in enumerate(selfcheck.results):
        if result.id not in used:
            problems.append(
                document.problem(
                    ("results", index, "id"),
                    f"result '{result.id}' is not named by any rule, so no visitor can see it: "
                    "add a rule for it or remove it",
                )
            )
    problems += _check_not_sure_is_never_lost(document, selfcheck)
    return problems


def _check_fallback_reason(document: SourceDocument, index: int, rule: Rule) -> list[Problem]:
    """The rule that always matches explains itself with one ``reason``, not per answer."""
    problems: list[Problem] = []
    if rule.reasons:
        problems.append(
            document.problem(
                ("rules", index, "reasons"),
                f"rule '{rule.id}' has no when_any, so no answer decides it: write one "
                "'reason:' line instead of 'reasons:'",
            )
        )
    if rule.reason is None:
        problems.append(
            document.problem(
                ("rules", index),
                f"rule '{rule.id}' has no reason: add a 'reason:' line, shown under "
                "'Why we suggest this' (e.g. Your answers did not point to one kind of care)",
            )
        )
    return problems


def _check_rule_reasons(
    document: SourceDocument, index: int, rule: Rule, question_ids: list[str]
) -> list[Problem]:
    """Every answer a rule lists has a reason in that rule, and the rule has no other reason:
    the result then explains itself with exactly the answers that decided it."""
    assert rule.when_any is not None
    problems: list[Problem] = []
    name = f"rule '{rule.id}'"
    if rule.reason is not None:
        problems.append(
            document.problem(
                ("rules", index, "reason"),
                f"{name} has when_any, so its result is explained by the answers that made "
                "it match: move this line under 'reasons:', for the answer it explains",
            )
        )
    for question_id, answers in rule.when_any.items():
        if question_id not in question_ids:
            continue  # said already: the question does not exist
        written = rule.reasons.get(question_id, {})
        for answer in answers:
            if answer not in written:
                problems.append(
                    document.problem(
                        ("rules", index, "reasons"),
                        f"{name} counts the answer {answer} to '{question_id}' but has no reason "
                        f"for it: add reasons: {question_id}: {answer}: with the line shown "
                        "when that answer decides the result",
                    )
                )
    for question_id, written in rule.reasons.items():
        listed = rule.when_any.get(question_id)
        for answer in written:
            if listed is None or answer not in listed:
                problems.append(
                    document.problem(
                        ("rules", index, "reasons", question_id, answer),
                        f"{name} has a reason for the answer {answer} to '{question_id}', but "
                        "its when_any does not count that answer, so it could never be shown: "
                        "remove it, or add the answer to when_any",
                    )
                )
    return problems


def not_sure_always_decides(selfcheck: SelfCheckText, question_id: str) -> bool:
    """Whether answering Not sure to this question always decides the result: the first rule
    counts it and needs only one match, so no other rule can win first."""
    first = selfcheck.rules[0]
    return (
        first.when_any is not None
        and first.at_least == 1
        and "not_sure" in first.when_any.get(question_id, ())
    )


def _check_not_sure_is_never_lost(
    document: SourceDocument, selfcheck: SelfCheckText
) -> list[Problem]:
    """A Not sure that did not decide the result must still show, as a thing to talk over."""
    problems: list[Problem] = []
    for index, question in enumerate(selfcheck.questions):
        if "not_sure" in question.talk_over or not_sure_always_decides(selfcheck, question.id):
            continue
        problems.append(
            document.problem(
                ("questions", index),
                f"question '{question.id}' has no talk_over line for not_sure: add "
                "talk_over: not_sure:, so that a visitor who is not sure sees it on the result "
                "whenever that answer does not decide it (a Not sure is never silently a No)",
            )
        )
    return problems


def _check_sources(document: SourceDocument, sources: SourcesText) -> list[Problem]:
    problems = _duplicates(document, sources.sources, "sources", "source")
    try:
        datetime.date.fromisoformat(sources.reviewed.date)
    except ValueError:
        problems.append(
            document.problem(
                ("reviewed", "date"),
                f"reviewed.date '{sources.reviewed.date}' is not a date: write it as "
                'year-month-day, e.g. "2026-12-01"',
            )
        )
    return problems


# --------------------------------------------------------------------------------------------
# Checks across files
# --------------------------------------------------------------------------------------------


def term_pattern(term: str) -> re.Pattern[str]:
    """How a term is found in a sentence: as whole words, also with a plural s or es; in any
    case, except a term written in capitals (IOP, AA), which must be in capitals (so that NA
    is not found in "na")."""
    flags = 0 if term.isupper() else re.IGNORECASE
    term = term.strip()
    # Chinese and Japanese are written without spaces: a term in their script is found
    # inside a run of characters, not only between spaces (the longest match still wins).
    before = "" if term and _UNSPACED_SCRIPT.match(term[0]) else r"(?<!\w)"
    after = "" if term and _UNSPACED_SCRIPT.match(term[-1]) else r"(?:e?s)?(?!\w)"
    return re.compile(before + re.escape(term) + after, flags)


#: Characters of scripts written without spaces between words (CJK ideographs, kana).
_UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def options_named(text: str, options: Iterable[Option]) -> set[str]:
    """The ids of the options that ``text`` names, by their terms (see :func:`term_pattern`).
    Where terms overlap ("intensive outpatient" and "outpatient"), the longest match wins."""
    matches: list[tuple[int, int, str]] = []
    for option in options:
        for term in option.words_for_it:
            matches += [(m.start(), m.end(), option.id) for m in term_pattern(term).finditer(text)]
    named: set[str] = set()
    taken: list[tuple[int, int]] = []
    for start, end, option_id in sorted(matches, key=lambda m: m[0] - m[1]):
        if all(end <= other_start or start >= other_end for other_start, other_end in taken):
            taken.append((start, end))
            named.add(option_id)
    return named


def _check_across_files(
    documents: Mapping[str, SourceDocument], models: Mapping[str, Any]
) -> list[Problem]:
    problems: list[Problem] = []
    compare: CompareText | None = models.get("compare.yaml")
    selfcheck: SelfCheckText | None = models.get("selfcheck.yaml")
    sources: SourcesText | None = models.get("sources.yaml")
    if compare is not None and sources is not None:
        problems += _check_citations(documents["compare.yaml"], compare, sources)
    if compare is not None and selfcheck is not None:
        problems += _check_points_to(documents["selfcheck.yaml"], selfcheck, compare)
        problems += _check_reasons_argue_for_their_result(
            documents["selfcheck.yaml"], selfcheck, compare
        )
    return problems


def _check_citations(
    document: SourceDocument, compare: CompareText, sources: SourcesText
) -> list[Problem]:
    """Every source a value, summary, pro or con cites is listed in sources.yaml."""
    known = [source.id for source in sources.sources]
    problems: list[Problem] = []
    for index, option in enumerate(compare.options):
        cited: list[tuple[Location, tuple[str, ...]]] = [
            (("options", index, "summary", "source"), option.summary.sources)
        ]
        cited += [
            (("options", index, "values", row_id, "source"), value.sources)
            for row_id, value in option.values.items()
        ]
        for side in ("pros", "cons"):
            cited += [
                (("options", index, side, item_index, "source"), item.sources)
                for item_index, item in enumerate(getattr(option, side))
            ]
        for location, ids in cited:
            for source_id in ids:
                if source_id not in known:
                    problems.append(
                        document.problem(
                            location,
                            f"{location_name(location)} cites '{source_id}', which is not in "
                            f"sources.yaml: use one of {', '.join(known)}, or add it there",
                        )
                    )
    return problems


def _check_points_to(
    document: SourceDocument, selfcheck: SelfCheckText, compare: CompareText
) -> list[Problem]:
    option_ids = [option.id for option in compare.options]
    problems: list[Problem] = []
    for index, result in enumerate(selfcheck.results):
        for option_id in result.points_to:
            if option_id not in option_ids:
                problems.append(
                    document.problem(
                        ("results", index, "points_to"),
                        f"result '{result.id}' points to '{option_id}', which is not an option "
                        f"in compare.yaml: use one of {', '.join(option_ids)}",
                    )
                )
    return problems


def _names(option_ids: Iterable[str], compare: CompareText) -> str:
    names = [compare.option(option_id).short_name for option_id in option_ids]
    return ", ".join(names) if names else "no option"


def _check_reasons_argue_for_their_result(
    document: SourceDocument, selfcheck: SelfCheckText, compare: CompareText
) -> list[Problem]:
    """What the kiosk can tell of a line arguing for the wrong thing: the options it names.

    A reason may name the options its rule's result points to; a thing to talk over is neutral
    and names none. Options the question itself names ("Did you just finish detox?") may be
    named in its lines too: saying what the visitor answered argues for nothing.
    """
    problems: list[Problem] = []
    results = {result.id: result for result in selfcheck.results}
    questions = {question.id: question for question in selfcheck.questions}
    options = compare.options

    def own(question_id: str) -> set[str]:
        question = questions.get(question_id)
        if question is None:
            return set()
        return options_named(f"{question.text}\n{question.explain or ''}", options)

    for index, rule in enumerate(selfcheck.rules):
        result = results.get(rule.result)
        if result is None:
            continue
        allowed = set(result.points_to)
        lines: list[tuple[Location, str, str]] = []
        if rule.reason:
            lines.append((("rules", index, "reason"), "", rule.reason))
        lines += [
            (("rules", index, "reasons", question_id, answer), question_id, text)
            for question_id, written in rule.reasons.items()
            for answer, text in written.items()
        ]
        for location, question_id, text in lines:
            extra = options_named(text, options) - allowed - own(question_id)
            if extra:
                problems.append(
                    document.problem(
                        location,
                        f"{location_name(location)} names {_names(sorted(extra), compare)}, "
                        f"but rule '{rule.id}' picks '{result.id}', which points to "
                        f"{_names(result.points_to, compare)}: a reason may argue only for its "
                        "own result. Reword it, or move it to the question's talk_over as a "
                        "neutral line",
                    )
                )
    for index, question in enumerate(selfcheck.questions):
        for answer, text in question.talk_over.items():
            extra = options_named(text, options) - own(question.id)
            if extra:
                location = ("questions", index, "talk_over", answer)
                problems.append(
                    document.problem(
                        location,
                        f"{location_name(location)} names {_names(sorted(extra), compare)}: "
                        "a thing to talk over is shown under any result, so it must be neutral "
                        "and name no option (say what to ask staff instead)",
                    )
                )
    return problems


_CHECKS: dict[str, Any] = {
    "ui.yaml": _check_ui,
    "help.yaml": _check_help,
    "learn.yaml": _check_learn,
    "compare.yaml": _check_compare,
    "selfcheck.yaml": _check_selfcheck,
    "sources.yaml": _check_sources,
}
