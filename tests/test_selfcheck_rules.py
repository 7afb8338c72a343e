"""The self-check's decision, tested apart from any screen.

Hypothesis walks every combination of answers (including unanswered questions) through the
bundled rules of every language, and random rule sets through :func:`evaluate`.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.content import ANSWERS, ContentLibrary, Question, Result, Rule, SelfCheckText
from kiosk.selfcheck import AnswerSheet, evaluate

MEDICAL = "medical_first"


def all_answer_sets(selfcheck: SelfCheckText) -> list[dict[str, str]]:
    ids = [question.id for question in selfcheck.questions]
    return [
        dict(zip(ids, combo, strict=True)) for combo in itertools.product(ANSWERS, repeat=len(ids))
    ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_combination_gets_exactly_one_result(library: ContentLibrary, language: str) -> None:
    selfcheck = library.languages[language].selfcheck
    seen: set[str] = set()
    combos = all_answer_sets(selfcheck)
    assert len(combos) == 3 ** len(selfcheck.questions)
    for answers in combos:
        outcome = evaluate(selfcheck, answers)
        assert outcome.result in selfcheck.results
        seen.add(outcome.result.id)
        # Every reason shown comes from one of the visitor's own answers.
        own = {selfcheck.question(q).reasons.get(a) for q, a in answers.items()}
        assert set(outcome.reasons) <= own
    # Every result the staff wrote can actually be reached.
    assert seen == {result.id for result in selfcheck.results}


@pytest.mark.parametrize("language", ["en", "es"])
def test_dangerous_withdrawal_always_leads_with_medical_staff(
    library: ContentLibrary, language: str
) -> None:
    selfcheck = library.languages[language].selfcheck
    for answers in all_answer_sets(selfcheck):
        outcome = evaluate(selfcheck, answers)
        if answers["withdrawal"] in ("yes", "not_sure"):
            assert outcome.result.id == MEDICAL
            # The first reason is the visitor's own withdrawal answer.
            assert (
                outcome.reasons[0]
                == selfcheck.question("withdrawal").reasons[answers["withdrawal"]]
            )
            assert outcome.deciding[0] == "withdrawal"
        else:
            assert outcome.result.id != MEDICAL


def test_english_medical_result_says_talk_to_medical_staff(library: ContentLibrary) -> None:
    result = library.languages["en"].selfcheck.result(MEDICAL)
    assert result.heading == "Talk to medical staff before you stop"


@given(data=st.data())
@settings(max_examples=300, deadline=None)
def test_random_rules_first_match_wins_and_one_result(data: st.DataObject) -> None:
    """Any valid rule set (fallback last) gives one result: the first rule that matches."""
    question_ids = [f"q{i}" for i in range(data.draw(st.integers(1, 5)))]
    result_ids = [f"r{i}" for i in range(data.draw(st.integers(1, 4)))]
    conditions = st.dictionaries(
        st.sampled_from(question_ids),
        st.lists(st.sampled_from(ANSWERS), min_size=1, max_size=3, unique=True).map(tuple),
        min_size=1,
    )
    rules = [
        Rule(result=data.draw(st.sampled_from(result_ids)), when_any=when, at_least=1)
        for when in data.draw(st.lists(conditions, max_size=5))
    ]
    rules.append(Rule(result=data.draw(st.sampled_from(result_ids))))
    selfcheck = SelfCheckText(
        questions=tuple(
            Question(id=q, text=f"Question {q}?", reasons={"yes": f"yes {q}"}) for q in question_ids
        ),
        results=tuple(Result(id=r, heading=r, message=r) for r in result_ids),
        rules=tuple(rules),
    )
    answers = data.draw(st.dictionaries(st.sampled_from(question_ids), st.sampled_from(ANSWERS)))
    outcome = evaluate(selfcheck, answers)
    first = next(
        rule
        for rule in rules
        if rule.when_any is None
        or any(answers.get(q) in wanted for q, wanted in rule.when_any.items())
    )
    assert outcome.result.id == first.result
    # Reasons: deciding answers first, no duplicates, only "yes" answers have a reason here.
    assert len(outcome.reasons) == len(set(outcome.reasons))
    assert len(outcome.reasons) == sum(1 for a in answers.values() if a == "yes")


def test_at_least_counts_matching_questions() -> None:
    selfcheck = SelfCheckText(
        questions=(Question(id="a", text="A?"), Question(id="b", text="B?")),
        results=(
            Result(id="both", heading="h", message="m"),
            Result(id="other", heading="h", message="m"),
        ),
        rules=(
            Rule(result="both", when_any={"a": ("yes",), "b": ("yes",)}, at_least=2),
            Rule(result="other"),
        ),
    )
    assert evaluate(selfcheck, {"a": "yes", "b": "yes"}).result.id == "both"
    assert evaluate(selfcheck, {"a": "yes", "b": "no"}).result.id == "other"
    assert evaluate(selfcheck, {}).result.id == "other"


def test_answer_sheet_never_shows_answers_in_repr() -> None:
    sheet = AnswerSheet()
    sheet.give("withdrawal", "yes")
    assert "yes" not in repr(sheet)
    assert "withdrawal" not in repr(sheet)
    assert sheet.answer_to("withdrawal") == "yes"
    # Going Back and answering again replaces the earlier answer.
    sheet.give("withdrawal", "no")
    assert len(sheet) == 1 and sheet.answer_to("withdrawal") == "no"
    sheet.erase()
    assert sheet.as_mapping() == {}
