"""Everything a visitor reads, loaded from ``content/<language>/*.yaml`` into immutable models.

Data flows one way: files -> :func:`load_content` -> frozen models -> screens. Screens never open
files. Every mistake a staff member can make (YAML syntax, a missing or unknown key, a wrong type,
a rule that names a question or a result that does not exist, a duplicate id) comes back as a
:class:`~kiosk.yamlsource.Problem` (``file:line: message``), all of them at once.

The files of one language:

``ui.yaml``        every label, title and short sentence of the screens
``help.yaml``      the clinic's phone line and the other help lines
``learn.yaml``     the Learn sections, in the order of their tabs
``compare.yaml``   the comparison rows and the treatment options
``selfcheck.yaml`` the self-check's questions, results and rules
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from kiosk.qr import target_problem
from kiosk.validation import InvalidDocument, location_name, validate
from kiosk.yamlsource import Location, Problem, SourceDocument, SourceError, read_yaml

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


class UiText(Model):
    """Labels and short sentences used across the screens (``ui.yaml``).

    Texts in braces, such as ``{number}``, are filled in by the kiosk; the loader checks that a
    label uses only the placeholders it is allowed to use.
    """

    language_name: Annotated[
        Text, Meta(description="This language's name in itself, e.g. Español.")
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
    legend_yes: Annotated[
        Text, Meta(description="Key to the ✔ symbol in the comparison, e.g. Yes.")
    ]
    legend_partly: Annotated[
        Text, Meta(description="Key to the ◐ symbol, e.g. Partly or sometimes.")
    ]
    legend_no: Annotated[Text, Meta(description="Key to the ✘ symbol, e.g. No.")]
    legend_info: Annotated[Text, Meta(description="Key to the • symbol, e.g. Facts.")]
    selfcheck_title: Annotated[Text, Meta(description="Title of the self-check.")]
    selfcheck_intro: Annotated[Text, Meta(description="What the self-check is, before it starts.")]
    selfcheck_start_button: Annotated[Text, Meta(description="Starts the self-check.")]
    question_counter: Annotated[Text, Meta(description="Uses {number} and {total}.")]
    answer_yes: Annotated[Text, Meta(description="Answer button.")]
    answer_no: Annotated[Text, Meta(description="Answer button.")]
    answer_not_sure: Annotated[Text, Meta(description="Answer button.")]
    result_title: Annotated[Text, Meta(description="Title of the result screen.")]
    result_reasons_title: Annotated[Text, Meta(description="Heading over the list of reasons.")]
    not_a_diagnosis: Annotated[Text, Meta(description="Says the result is not a diagnosis.")]
    start_over_button: Annotated[
        Text, Meta(description="Erases the answers and goes to the start.")
    ]
    privacy_note: Annotated[Text, Meta(description="Nothing is saved, sent or printed.")]
    help_title: Annotated[Text, Meta(description="Title of the help lines screen.")]
    help_intro: Annotated[Text, Meta(description="One sentence above the help lines.")]
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
    idle_title: Annotated[Text, Meta(description="Title of the 'are you still there?' warning.")]
    idle_message: Annotated[
        Text, Meta(description="Says the kiosk will start over; uses {seconds}.")
    ]
    idle_button: Annotated[Text, Meta(description="Button that keeps the visitor's place.")]
    error_message: Annotated[
        Text, Meta(description="Shown after an unexpected error, before restarting.")
    ]


# Which placeholders each label may use; every other label must use none.
UI_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "question_counter": frozenset({"number", "total"}),
    "idle_message": frozenset({"seconds"}),
}


# --------------------------------------------------------------------------------------------
# help.yaml
# --------------------------------------------------------------------------------------------


class QrTarget(Model):
    """A QR code a visitor can scan to take a help line home (``kiosk/qr.py`` draws it)."""

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


class HelpLine(Model):
    """One phone line shown on the help and result screens."""

    number: Annotated[Text, Meta(description="The number as a visitor dials it, e.g. 988.")]
    name: Annotated[Text, Meta(description="Who answers, e.g. Suicide & Crisis Lifeline.")]
    detail: Annotated[Text, Meta(description="When to call and what it costs, in a few words.")]
    qr: QrTargets = ()


class HelpText(Model):
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
class BulletList(Model, kw_only=True):
    """A list of short points, with an optional heading above it."""

    heading: Annotated[Text | None, Meta(description="Optional heading over the points.")] = None
    points: Annotated[
        tuple[Text, ...], Meta(min_length=1, description="The points, one idea each.")
    ]


#: A block of a Learn section: a paragraph (plain text) or a list of points.
Block = Text | BulletList


class Section(Model):
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


class LearnText(Model):
    """The Learn sections, in tab order (``learn.yaml``)."""

    sections: Annotated[tuple[Section, ...], Meta(min_length=1, description="One entry per tab.")]


# --------------------------------------------------------------------------------------------
# compare.yaml
# --------------------------------------------------------------------------------------------

#: How a comparison value is marked. The kiosk shows a symbol *and* the words, never colour alone.
Mark = Literal["yes", "no", "partly", "info"]


class Row(Model):
    """One row of the comparison: a question asked of every option."""

    id: Annotated[
        Identifier, Meta(description="A short id, unique in the file, e.g. lives_at_home.")
    ]
    label: Annotated[Text, Meta(max_length=40, description="The row's label, e.g. Live at home?")]


class Value(Model):
    """What one option says for one row."""

    mark: Annotated[Mark, Meta(description="yes, no, partly or info: picks the symbol shown.")]
    text: Annotated[
        Text, Meta(max_length=60, description="A few words, e.g. Yes, you sleep at home.")
    ]


class Option(Model):
    """One kind of treatment (or step) in the comparison."""

    id: Annotated[Identifier, Meta(description="A short id, unique in the file, e.g. iop.")]
    name: Annotated[
        Text, Meta(max_length=40, description="Full name, e.g. Intensive outpatient (IOP).")
    ]
    short_name: Annotated[
        Text, Meta(max_length=14, description="Name for narrow columns, e.g. IOP.")
    ]
    summary: Annotated[Text, Meta(description="One or two sentences on what it is.")]
    values: Annotated[Mapping[Identifier, Value], Meta(description="One value for every row id.")]
    pros: Annotated[tuple[Text, ...], Meta(min_length=1, description="Good points.")]
    cons: Annotated[tuple[Text, ...], Meta(min_length=1, description="Drawbacks.")]


class CompareText(Model):
    """Rows and options of the comparison (``compare.yaml``)."""

    rows: Annotated[tuple[Row, ...], Meta(min_length=1, description="The rows, in order.")]
    options: Annotated[tuple[Option, ...], Meta(min_length=2, description="The options, in order.")]


# --------------------------------------------------------------------------------------------
# selfcheck.yaml
# --------------------------------------------------------------------------------------------


class Question(Model):
    """One self-check question, asked on its own screen."""

    id: Annotated[Identifier, Meta(description="A short id, unique in the file, e.g. withdrawal.")]
    text: Annotated[Text, Meta(description="The question, answered with Yes, No or Not sure.")]
    explain: Annotated[Text | None, Meta(description="Optional smaller line under it.")] = None
    reasons: Annotated[
        Mapping[Answer, Text],
        Meta(
            description="For each answer that matters, a 'because you said…' line for the result."
        ),
    ] = msgspec.field(default_factory=dict)


class Result(Model):
    """One possible result of the self-check."""

    id: Annotated[
        Identifier, Meta(description="A short id, unique in the file, e.g. medical_first.")
    ]
    heading: Annotated[Text, Meta(description="Which way the answers lean, in a few words.")]
    message: Annotated[Text, Meta(description="Two or three sentences on what to do next.")]


class Rule(Model):
    """If the answers match, this rule picks its result. The first matching rule wins.

    ``when_any`` lists answers per question; the rule matches when at least ``at_least`` of the
    listed questions got one of the listed answers. A rule without ``when_any`` always matches
    and must come last.
    """

    result: Annotated[Identifier, Meta(description="The id of the result this rule picks.")]
    when_any: Annotated[
        Mapping[Identifier, tuple[Answer, ...]] | None,
        Meta(description="Question id -> the answers that count for this rule."),
    ] = None
    at_least: Annotated[int, Meta(ge=1, description="How many listed questions must match.")] = 1


class SelfCheckText(Model):
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


#: The files of a language and the model each one is validated into.
FILES: dict[str, type[Model]] = {
    "ui.yaml": UiText,
    "help.yaml": HelpText,
    "learn.yaml": LearnText,
    "compare.yaml": CompareText,
    "selfcheck.yaml": SelfCheckText,
}


class ContentError(Exception):
    """Content could not be loaded; ``problems`` lists every mistake found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class ContentLibrary:
    """Every language found in a content folder. The first language is the fallback."""

    folder: Path
    languages: Mapping[str, Content]

    def get(self, language: str) -> Content:
        """The content in ``language``, or in the first language if it is not there."""
        return self.languages.get(language) or next(iter(self.languages.values()))


def load_library(folder: Path) -> ContentLibrary:
    """Load every language folder under ``folder``. Raises :class:`ContentError`.

    English is the reference: every other language must have exactly its ids (sections,
    rows, options, questions, results), so no visitor meets a gap in their language.
    """
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
    for language_dir in found:
        try:
            languages[language_dir.name], documents[language_dir.name] = _load_language(
                language_dir
            )
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
    if problems:
        raise ContentError(problems)
    return ContentLibrary(folder=folder, languages=MappingProxyType(languages))


#: The language every other language is checked against.
REFERENCE_LANGUAGE = "en"


def language_dirs(folder: Path) -> list[Path]:
    """The language folders in ``folder`` (every folder not starting with a dot), the
    reference language first, then by name. Raises ``OSError`` if ``folder`` cannot be read."""
    found = sorted(
        path for path in folder.iterdir() if path.is_dir() and not path.name.startswith(".")
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


def _load_language(folder: Path) -> tuple[Content, dict[str, SourceDocument]]:
    """Load one language folder; also return its documents (for line numbers)."""
    problems: list[Problem] = []
    models: dict[str, Any] = {}
    documents: dict[str, SourceDocument] = {}
    for name, model in FILES.items():
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
        document = replace(document, data=strip_text(document.data))
        documents[name] = document
        too_long = _long_texts(document, document.data, ())
        if too_long:
            problems.extend(too_long)
            continue
        try:
            models[name] = validate(document, model)
        except InvalidDocument as error:
            problems.extend(error.problems)
    # Cross-checks need the models; run them for every file that validated.
    for name, check in _CHECKS.items():
        if name in models:
            problems.extend(check(documents[name], models[name]))
    if problems:
        raise ContentError(sorted(problems, key=lambda p: (str(p.file), p.line)))
    content = Content(
        language=folder.name,
        ui=models["ui.yaml"],
        help=models["help.yaml"],
        learn=models["learn.yaml"],
        compare=models["compare.yaml"],
        selfcheck=models["selfcheck.yaml"],
    )
    return content, documents


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


def _check_ui(document: SourceDocument, ui: UiText) -> list[Problem]:
    problems: list[Problem] = []
    for name in UiText.__struct_fields__:
        allowed = UI_PLACEHOLDERS.get(name, frozenset())
        problems.extend(_check_placeholders(document, (name,), getattr(ui, name), allowed))
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
        # Decision-aid rule: pros and cons get equal space, so neither side looks stronger.
        if len(option.pros) != len(option.cons):
            problems.append(
                document.problem(
                    ("options", index, "cons"),
                    f"option '{option.id}' has {len(option.pros)} pros and {len(option.cons)} "
                    "cons: give it the same number of each so both sides get equal space",
                )
            )
    return problems


def _check_selfcheck(document: SourceDocument, selfcheck: SelfCheckText) -> list[Problem]:
    problems = _duplicates(document, selfcheck.questions, "questions", "question")
    problems += _duplicates(document, selfcheck.results, "results", "result")
    question_ids = [question.id for question in selfcheck.questions]
    result_ids = [result.id for result in selfcheck.results]
    for index, rule in enumerate(selfcheck.rules):
        if rule.result not in result_ids:
            problems.append(
                document.problem(
                    ("rules", index, "result"),
                    f"rule {index + 1} names result '{rule.result}', which does not exist: "
                    f"use one of {', '.join(result_ids)}",
                )
            )
        is_last = index == len(selfcheck.rules) - 1
        if rule.when_any is None:
            if not is_last:
                problems.append(
                    document.problem(
                        ("rules", index),
                        f"rule {index + 1} has no when_any, so it always matches and the rules "
                        "after it can never be used: move it to the end",
                    )
                )
            continue
        for question_id in rule.when_any:
            if question_id not in question_ids:
                problems.append(
                    document.problem(
                        ("rules", index, "when_any", question_id),
                        f"rule {index + 1} names question '{question_id}', which does not exist: "
                        f"use one of {', '.join(question_ids)}",
                    )
                )
        if rule.at_least > len(rule.when_any):
            problems.append(
                document.problem(
                    ("rules", index, "at_least"),
                    f"rule {index + 1} needs {rule.at_least} matches but lists only "
                    f"{len(rule.when_any)} question(s): lower at_least or list more",
                )
            )
        if is_last:
            problems.append(
                document.problem(
                    ("rules", index),
                    "the last rule must have no when_any, so that every set of answers gets a "
                    "result: add a last rule with only 'result:'",
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
    return problems


_CHECKS: dict[str, Any] = {
    "ui.yaml": _check_ui,
    "help.yaml": _check_help,
    "learn.yaml": _check_learn,
    "compare.yaml": _check_compare,
    "selfcheck.yaml": _check_selfcheck,
}
