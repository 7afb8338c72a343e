"""The every-mistake walker of ``kiosk/validation.py`` on a small model of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import msgspec
import pytest

from kiosk.validation import InvalidDocument, validate
from kiosk.yamlsource import SourceDocument

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


def test_good_data_takes_the_fast_path() -> None:
    document = SourceDocument(Path("box.yaml"), {"items": [{"name": "a"}]})
    assert validate(document, _Box) == _Box(items=(_Item(name="a"),))
