"""The msgspec loader: odd values never crash it, every mistake is found, pydantic stays out.

``kiosk/content/validation.py`` takes a fast path (one ``msgspec.convert``) and, only when that
fails,
walks the model to find every mistake. These tests feed it values staff could type anywhere
(nothing, numbers, switches, lists, blocks, nested wrong types) and check that the answer is
always a list of ``file:line: sentence`` problems in plain words, never a traceback.
"""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path
from typing import Annotated, Any

import msgspec
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.config import ConfigError, load_settings
from kiosk.content import validation, yamlsource
from kiosk.content.model import ContentError, LearnText, load_content
from kiosk.content.validation import InvalidDocument, find_problems, validate
from kiosk.content.yamlsource import Problem, SourceDocument, read_yaml
from tests.conftest import CONFIG_FILE, CONTENT_DIR, LANGUAGES, fresh_python

#: Words of msgspec's own messages that must never reach staff.
JARGON = ("Expected `", "$.", "`str`", "`int`", "ValidationError", "Traceback", "NoneType")


def assert_plain(problems: list[Problem]) -> None:
    for problem in problems:
        assert problem.message, problem
        assert not any(word in problem.message for word in JARGON), str(problem)


# --------------------------------------------------------------------------------------------
# Start-up: pydantic is not imported
# --------------------------------------------------------------------------------------------


def test_starting_and_loading_the_content_imports_no_pydantic() -> None:
    """The start-up figure depends on it: importing pydantic alone took about 48 ms, and
    hashlib (needed only when staff set or check a PIN) about 4 ms."""
    languages, modules = fresh_python(
        "from pathlib import Path\n"
        "import kiosk.cli\n"
        "from kiosk.config import load_settings\n"
        "from kiosk.content.model import load_library\n"
        f"settings = load_settings(Path({str(CONFIG_FILE)!r}))\n"
        "result = sorted(load_library(settings.content_dir).languages)\n"
    )
    assert languages == LANGUAGES
    assert "msgspec" in modules
    assert [name for name in modules if name.split(".")[0] in {"pydantic", "pydantic_core"}] == []
    assert [name for name in modules if name in {"hashlib", "hmac", "secrets"}] == []


# --------------------------------------------------------------------------------------------
# Odd values at chosen places: the exact line, plain words
# --------------------------------------------------------------------------------------------

#: (file, the line as bundled, the same line with {value} in place of the value, its name).
PLACES = [
    ("ui.yaml", "back_button: Back", "back_button: {value}", "back_button"),
    ("help.yaml", '  - number: "988"', "  - number: {value}", "more_lines[1].number"),
    ("learn.yaml", "    title: What is IOP?", "    title: {value}", "sections[1].title"),
    ("learn.yaml", "  - id: understanding_iop", "  - id: {value}", "sections[1].id"),
    (
        "compare.yaml",
        '      lives_at_home: {mark: yes, text: "Yes", source: article}',
        "      lives_at_home: {value}",
        "options[1].values.lives_at_home",
    ),
    (
        "selfcheck.yaml",
        "      withdrawal: [yes, not_sure]",
        "      withdrawal: {value}",
        "rules[1].when_any.withdrawal",
    ),
    ("selfcheck.yaml", "    result: medical_first", "    result: {value}", "rules[1].result"),
]

#: Values written the way YAML reads them, wrong at every place above except where noted.
ODD_VALUES = [
    "null",
    "5",
    "-3",
    "2.5",
    "true",
    "2024-05-01",
    "[]",
    "[1, 2]",
    "[null]",
    "{}",
    "{a: 1}",
    "[{a: [1, {b: null}]}]",
    "{a: {b: [null, true]}}",
]
#: An empty list of answers is allowed (the rule's other questions can still match).
FINE = {("rules[1].when_any.withdrawal", "[]")}
CASES = [
    pytest.param(*place, value, id=f"{place[3]}={value}")
    for place in PLACES
    for value in ODD_VALUES
    if (place[3], value) not in FINE
]


@pytest.mark.parametrize(("name", "old", "new", "where", "value"), CASES)
def test_odd_value_is_reported_at_its_line_in_plain_words(
    tmp_path: Path, name: str, old: str, new: str, where: str, value: str
) -> None:
    folder = tmp_path / "en"
    shutil.copytree(CONTENT_DIR / "en", folder)
    file = folder / name
    lines = file.read_text(encoding="utf-8").splitlines()
    line = lines.index(old) + 1
    lines[line - 1] = new.format(value=value)
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(ContentError) as caught:
        load_content(folder)
    problems = caught.value.problems
    assert problems
    # Written on one line, every mistake inside the value is on that line too.
    assert {(p.file, p.line) for p in problems} == {(file, line)}, caught.value
    assert any(p.message.startswith(where) or f"in {where}:" in p.message for p in problems), (
        caught.value
    )
    assert_plain(problems)


def test_at_least_is_strict_about_numbers(tmp_path: Path) -> None:
    """``"2"`` and ``true`` are not numbers (pydantic took both, as 2 and 1)."""
    folder = tmp_path / "en"
    shutil.copytree(CONTENT_DIR / "en", folder)
    file = folder / "selfcheck.yaml"
    text = file.read_text(encoding="utf-8")
    anchor = "      cost_worries: [yes]\n"
    line = text[: text.index(anchor)].count("\n") + 2
    for value in ('"2"', "true"):
        file.write_text(text.replace(anchor, f"{anchor}    at_least: {value}\n"), "utf-8")
        with pytest.raises(ContentError) as caught:
            load_content(folder)
        assert [str(p) for p in caught.value.problems] == [
            f"{file}:{line}: rules[5].at_least should be a whole number"
        ]


def test_surrounding_spaces_are_removed_from_text(tmp_path: Path) -> None:
    folder = tmp_path / "en"
    shutil.copytree(CONTENT_DIR / "en", folder)
    file = folder / "ui.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("back_button: Back\n", 'back_button: "  Back \\n"\n'), "utf-8")
    assert load_content(folder).ui.back_button == "Back"


# --------------------------------------------------------------------------------------------
# Odd values anywhere: never a crash
# --------------------------------------------------------------------------------------------

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**6), max_value=10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["yes", "no", "not_sure", "info", "x" * 70, "Bad-Id", "ok_id"])
)
_KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-XY", min_size=1, max_size=8)
ODD_TREES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_KEYS, children, max_size=3),
    max_leaves=8,
)

# Read as the kiosk reads it: yes and no stay words.
_BUNDLED = {file.name: read_yaml(file).data for file in sorted((CONTENT_DIR / "en").glob("*.yaml"))}


def _locations(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _locations(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data[:2]):
            found += _locations(value, (*path, index))
    return found


_PLACES = [(name, path) for name, data in _BUNDLED.items() for path in _locations(data)]


def _put(data: Any, path: tuple[Any, ...], value: Any, add_key: str | None) -> Any:
    """A copy of ``data`` with ``value`` at ``path`` (or under a new key of the block there)."""
    data = json.loads(json.dumps(data, default=str))
    if add_key is not None:
        target = data
        for part in path:
            target = target[part]
        if isinstance(target, dict):
            target[add_key] = value
            return data
    if not path:
        return value
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


@settings(
    max_examples=150,
    deadline=None,
    # One folder for every example: each one rewrites the file it changes and restores it.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    place=st.sampled_from(_PLACES),
    value=ODD_TREES,
    add_key=st.none() | _KEYS,
)
def test_odd_values_anywhere_give_problems_never_a_crash(
    tmp_path: Path, place: tuple[str, tuple[Any, ...]], value: Any, add_key: str | None
) -> None:
    folder = tmp_path / "en"
    if not folder.exists():
        shutil.copytree(CONTENT_DIR / "en", folder)
    name, path = place
    file = folder / name
    original = file.read_text(encoding="utf-8")
    try:
        text = yaml.safe_dump(_put(_BUNDLED[name], path, value, add_key), allow_unicode=True)
        file.write_text(text, encoding="utf-8")
        try:
            load_content(folder)
        except ContentError as error:
            problems = error.problems
            assert problems
            line_count = max(1, len(text.splitlines()))
            for problem in problems:
                assert problem.file == file, str(problem)
                assert 1 <= problem.line <= line_count, str(problem)
            assert_plain(problems)
    finally:
        file.write_text(original, encoding="utf-8")


# --------------------------------------------------------------------------------------------
# kiosk.toml: odd values in every setting
# --------------------------------------------------------------------------------------------

TOML_VALUES = ['""', '"x"', "0", "-1", "99999", "2.5", "true", "[1, 2]", "{a = 1}", "[[1], []]"]
SETTINGS_KEYS = [
    ("content_dir", "kiosk.content_dir"),
    ("default_language", "kiosk.default_language"),
    ("theme", "kiosk.theme"),
    ("idle_seconds", "kiosk.idle_seconds"),
    ("idle_warning_seconds", "kiosk.idle_warning_seconds"),
    ("pin_hash", "staff.pin_hash"),
    ("enabled", "speech.enabled"),
    ("private_audio", "speech.private_audio"),
]


#: The only (setting, value) pairs above that are right.
ACCEPTED = {
    ("content_dir", '""'),
    ("content_dir", '"x"'),
    ("default_language", '""'),
    ("default_language", '"x"'),
    ("pin_hash", '""'),  # staff exit turned off
    ("enabled", "true"),
    ("private_audio", "true"),
}


@pytest.mark.parametrize("value", TOML_VALUES)
@pytest.mark.parametrize(("key", "where"), SETTINGS_KEYS, ids=[k for k, _ in SETTINGS_KEYS])
def test_odd_setting_is_reported_at_its_line(
    tmp_path: Path, key: str, where: str, value: str
) -> None:
    lines = CONFIG_FILE.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith(f"{key} ="))
    lines[line - 1] = f"{key} = {value}"
    file = tmp_path / "kiosk.toml"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if (key, value) in ACCEPTED:
        load_settings(file)
        return
    with pytest.raises(ConfigError) as caught:
        load_settings(file)
    problems = caught.value.problems
    assert [(p.file, p.line) for p in problems] == [(file, line)], str(caught.value)
    assert problems[0].message.startswith(where), str(caught.value)
    assert_plain(problems)


def test_bad_pin_hash_points_at_its_line(tmp_path: Path) -> None:
    lines = CONFIG_FILE.read_text(encoding="utf-8").splitlines()
    line = lines.index('pin_hash = ""') + 1
    lines[line - 1] = 'pin_hash = "1234"'
    file = tmp_path / "kiosk.toml"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(file)
    assert [str(p) for p in caught.value.problems] == [
        f"{file}:{line}: staff.pin_hash: pin_hash is not a PIN hash: set it with 'kiosk set-pin'"
    ]


# --------------------------------------------------------------------------------------------
# The walker on a small model of its own
# --------------------------------------------------------------------------------------------


class _Item(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=5)]
    count: Annotated[int, msgspec.Meta(ge=0)] = 0


class _Box(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    items: Annotated[tuple[_Item, ...], msgspec.Meta(min_length=1)]
    label: str | None = None


def test_msgspec_stops_at_the_first_mistake_but_the_walker_finds_all() -> None:
    data = {
        "items": [{"name": "toolong", "count": -1}, {"count": "2"}, {"name": "ok", "x": 1}],
        "label": 5,
        "colour": "red",
    }
    lines = {
        ("items", 0, "name"): 2,
        ("items", 0, "count"): 3,
        ("items", 1): 4,
        ("items", 1, "count"): 4,
        ("items", 2, "x"): 5,
        ("label",): 6,
        ("colour",): 7,
    }
    document = SourceDocument(Path("box.yaml"), data, lines)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert(data, _Box, strict=True)
    with pytest.raises(InvalidDocument) as caught:
        validate(document, _Box)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (2, "items[1].name is too long to fit on screen: keep it to 5 characters or fewer"),
        (3, "items[1].count: input should be greater than or equal to 0"),
        (4, "'name' is missing in items[2]: add it (see docs/staff.md)"),
        (4, "items[2].count should be a whole number"),
        (5, "unknown key 'x': remove it or fix its spelling (allowed here: name, count)"),
        (6, 'label should be some text: put it in quotes, e.g. "5"'),
        (7, "unknown key 'colour': remove it or fix its spelling (allowed here: items, label)"),
    ]


def test_good_data_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def walker_not_wanted(*_: Any) -> None:
        raise AssertionError("good data was walked")

    monkeypatch.setattr(validation, "find_problems", walker_not_wanted)
    document = SourceDocument(Path("box.yaml"), {"items": [{"name": "a"}]})
    assert validate(document, _Box) == _Box(items=(_Item(name="a"),))


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ({"heading": "H"}, "'points' is missing in sections[1].blocks[2]: add it"),
        ("", "sections[1].blocks[2] should be some text, not left empty"),
        (["a"], "sections[1].blocks[2] should be some text, not a list"),
    ],
)
def test_a_wrong_block_gets_one_message_for_what_it_looks_like(block: Any, expected: str) -> None:
    """A Learn block is text or a list of points: a 'key: value' block is told what the list
    of points lacks, anything else what text needs; never both, which would contradict."""
    data = yaml.safe_load((CONTENT_DIR / "en/learn.yaml").read_text(encoding="utf-8"))
    data["sections"][0]["blocks"][1] = block
    problems = find_problems(SourceDocument(Path("learn.yaml"), data), LearnText)
    assert [problem.message for problem in problems if "blocks[2]" in problem.message] == [
        problem.message for problem in problems
    ]
    assert len(problems) == 1 and problems[0].message.startswith(expected), problems


@pytest.mark.parametrize(
    "value", ["!foo Back", "2024-02-30", "!!python/object:os.system x", "!!binary ???"]
)
def test_a_value_yaml_cannot_build_is_reported_at_its_line(tmp_path: Path, value: str) -> None:
    """A tag, or a date that does not exist: PyYAML fails to build the value. Staff get the
    line, never a traceback."""
    folder = tmp_path / "en"
    shutil.copytree(CONTENT_DIR / "en", folder)
    file = folder / "ui.yaml"
    lines = file.read_text(encoding="utf-8").splitlines()
    line = lines.index("back_button: Back") + 1
    lines[line - 1] = f"back_button: {value}"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    assert [(p.file, p.line) for p in caught.value.problems] == [(file, line)]
    assert_plain(caught.value.problems)


@pytest.mark.parametrize(
    ("new_lines", "line_offset", "expected"),
    [
        # An alias (*name) inside the block its anchor (&name) marks: it never ends.
        (["back_button: &back [Back, *back]"], 0, "this block refers to itself"),
        (["back_button: &back {text: [*back]}"], 0, "this block refers to itself"),
        # Keys PyYAML cannot build, or that are not words.
        (["back_button: Back", "!foo odd_key: x"], 1, "this value cannot be read"),
        (["back_button: Back", "2024-02-30: x"], 1, "this value cannot be read"),
        (["back_button: Back", "? [a, b]", ": x"], 1, "a key must be a word"),
        (["back_button: Back", "? &key [*key]", ": x"], 1, "a key must be a word"),
    ],
)
def test_odd_keys_and_aliases_are_reported_at_their_line(
    tmp_path: Path, new_lines: list[str], line_offset: int, expected: str
) -> None:
    """YAML that PyYAML reads but the kiosk cannot use: one plain message at the right line,
    never a traceback (a self-referring alias used to end in a RecursionError)."""
    folder = tmp_path / "en"
    shutil.copytree(CONTENT_DIR / "en", folder)
    file = folder / "ui.yaml"
    lines = file.read_text(encoding="utf-8").splitlines()
    line = lines.index("back_button: Back") + 1
    lines[line - 1 : line] = new_lines
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    problems = caught.value.problems
    assert [(p.file, p.line) for p in problems] == [(file, line + line_offset)], problems
    assert problems[0].message.startswith(expected)
    assert_plain(problems)


def test_aliases_that_stand_for_billions_of_values_are_refused(tmp_path: Path) -> None:
    """A few lines of aliases of aliases (a "billion laughs") would take the loader hours and
    all the memory: past MAX_VALUES the file is refused with one message."""
    folder = tmp_path / "en"
    shutil.copytree(CONTENT_DIR / "en", folder)
    file = folder / "ui.yaml"
    anchors = "abcdefghij"
    bomb = [f"laugh_{anchors[0]}: &{anchors[0]} [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    for previous, anchor in itertools.pairwise(anchors):
        bomb.append(f"laugh_{anchor}: &{anchor} [{', '.join([f'*{previous}'] * 10)}]")
    file.write_text(file.read_text(encoding="utf-8") + "\n".join(bomb) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    problems = caught.value.problems
    assert [(p.file, p.line) for p in problems] == [(file, 1)]
    assert f"more than {yamlsource.MAX_VALUES:,} values" in problems[0].message
    assert_plain(problems)


def test_the_bundled_content_is_far_below_the_limit_on_values() -> None:
    """MAX_VALUES refuses only files no staff member writes: the largest bundled file holds
    a small part of it."""
    counts = []
    for file in CONTENT_DIR.rglob("*.yaml"):
        document = read_yaml(file)
        counts.append(len(document.lines))
    assert max(counts) * 10 < yamlsource.MAX_VALUES
