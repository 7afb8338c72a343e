"""The self-check's decision, tested apart from any screen.

Every combination of answers (3 to the power of the number of questions: 2,187 today) goes
through the bundled rules of every language, and each result is checked the way a clinician
would read it: it shows only the reasons of the rule that decided it, those reasons argue only
for the options the result points to, dangerous withdrawal leads, and no "not sure" vanishes.
Hypothesis then does the same for random rule sets, against :func:`evaluate` itself.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.content.model import (
    ANSWERS,
    Answer,
    Content,
    ContentLibrary,
    Question,
    Result,
    Rule,
    SelfCheckText,
    options_named,
)
from kiosk.rules.selfcheck import AnswerSheet, Outcome, evaluate
from tests.conftest import LANGUAGES as ALL_LANGUAGES

MEDICAL = "medical_first"
LANGUAGES = ALL_LANGUAGES


def all_answer_sets(selfcheck: SelfCheckText) -> list[dict[str, Answer]]:
    ids = [question.id for question in selfcheck.questions]
    return [
        dict(zip(ids, combo, strict=True)) for combo in itertools.product(ANSWERS, repeat=len(ids))
    ]


def first_matching_rule(selfcheck: SelfCheckText, answers: Mapping[str, Answer]) -> Rule:
    """The rule that should win, worked out here without kiosk.rules.selfcheck."""
    for rule in selfcheck.rules:
        if rule.when_any is None:
            return rule
        matched = sum(1 for q, wanted in rule.when_any.items() if answers.get(q) in wanted)
        if matched >= rule.at_least:
            return rule
    raise AssertionError("no rule matched")


class Reader:
    """Reads a result as a visitor (and a clinician) would: which options each line names."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.selfcheck = content.selfcheck

    @functools.cache  # noqa: B019 (one reader per test; the texts are few)
    def named(self, text: str) -> frozenset[str]:
        return frozenset(options_named(text, self.content.compare.options))

    def own(self, question_id: str) -> frozenset[str]:
        """Options the question itself names: a line may repeat what the visitor was asked."""
        question = self.selfcheck.question(question_id)
        return self.named(f"{question.text}\n{question.explain or ''}")


def check_outcome(reader: Reader, answers: Mapping[str, Answer], outcome: Outcome) -> None:
    """Everything a result must get right, for one set of answers."""
    selfcheck = reader.selfcheck
    rule = first_matching_rule(selfcheck, answers)
    result = selfcheck.result(rule.result)
    assert outcome.result == result and outcome.rule_id == rule.id

    # The reasons are the winning rule's lines for exactly the answers that decided it.
    if rule.when_any is None:
        assert outcome.deciding == () and outcome.reasons == (rule.reason,)
    else:
        deciding = tuple(q for q, wanted in rule.when_any.items() if answers[q] in wanted)
        assert outcome.deciding == deciding
        assert outcome.reasons == tuple(rule.reasons[q][answers[q]] for q in deciding)
    assert outcome.reasons, "a result must say why"
    # No reason argues for an option its result does not point to.
    for question_id, reason in itertools.zip_longest(outcome.deciding, outcome.reasons):
        own = reader.own(question_id) if question_id else frozenset()
        extra = reader.named(reason) - set(result.points_to) - own
        assert not extra, f"{result.id} shows a reason naming {sorted(extra)}: {reason!r}"

    # Every other answer the content has a line for is listed, neutrally, to talk over.
    expected = [
        (q.id, q.talk_over[answers[q.id]])
        for q in selfcheck.questions
        if q.id not in outcome.deciding and answers[q.id] in q.talk_over
    ]
    assert list(zip(outcome.talk_over_questions, outcome.talk_over, strict=True)) == expected
    for question_id, line in expected:
        assert not reader.named(line) - reader.own(question_id), f"not neutral: {line!r}"
    assert not set(outcome.talk_over) & set(outcome.reasons)

    # No "not sure" vanishes: it decided the result, or it is there to talk over.
    for question_id, answer in answers.items():
        if answer == "not_sure":
            assert question_id in outcome.deciding or question_id in outcome.talk_over_questions

    # Dangerous withdrawal (or not knowing) always leads, with its own reason first.
    if answers["withdrawal"] in ("yes", "not_sure"):
        assert result.id == MEDICAL
        assert outcome.deciding[0] == "withdrawal"
        assert outcome.reasons[0] == rule.reasons["withdrawal"][answers["withdrawal"]]
    else:
        assert result.id != MEDICAL


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_combination_of_answers_gets_a_result_that_explains_only_itself(
    library: ContentLibrary, language: str
) -> None:
    content = library.languages[language]
    reader = Reader(content)
    combinations = all_answer_sets(content.selfcheck)
    assert len(combinations) == 3 ** len(content.selfcheck.questions)
    seen: Counter[str] = Counter()
    for answers in combinations:
        outcome = evaluate(content.selfcheck, answers)
        check_outcome(reader, answers, outcome)
        seen[outcome.result.id] += 1
    # Every result the staff wrote can actually be reached.
    assert set(seen) == {result.id for result in content.selfcheck.results}


@pytest.mark.parametrize("language", LANGUAGES)
def test_languages_decide_alike(library: ContentLibrary, language: str) -> None:
    """A Spanish visitor gets the result an English one would, for the same answers."""
    english = library.languages["en"].selfcheck
    other = library.languages[language].selfcheck
    for answers in all_answer_sets(english):
        mine, theirs = evaluate(english, answers), evaluate(other, answers)
        assert (mine.result.id, mine.rule_id, mine.deciding) == (
            theirs.result.id,
            theirs.rule_id,
            theirs.deciding,
        )
        assert len(mine.talk_over) == len(theirs.talk_over)


@pytest.mark.parametrize("language", LANGUAGES)
def test_just_finished_detox_or_inpatient_steps_down(
    library: ContentLibrary, language: str
) -> None:
    """The article: IOP is the usual next step after inpatient care or detox. Only dangerous
    withdrawal comes before it; it never leads back to "more support"."""
    selfcheck = library.languages[language].selfcheck
    for answers in all_answer_sets(selfcheck):
        if answers["finished_inpatient"] == "yes" and answers["withdrawal"] == "no":
            outcome = evaluate(selfcheck, answers)
            assert outcome.result.id == "step_down"
            assert "iop" in outcome.result.points_to


@pytest.mark.parametrize("language", LANGUAGES)
def test_not_sure_about_staying_clean_at_home_is_talked_through(
    library: ContentLibrary, language: str
) -> None:
    """The heading and the reason agree: not sure -> "Let's talk it through", because it is
    worth talking over (it used to give the inpatient heading with that reason)."""
    selfcheck = library.languages[language].selfcheck
    answers: dict[str, Answer] = dict.fromkeys((q.id for q in selfcheck.questions), "no")
    answers["stay_clean_at_home"] = "not_sure"
    outcome = evaluate(selfcheck, answers)
    assert outcome.result.id == "talk_it_through"
    assert outcome.deciding == ("stay_clean_at_home",)


def test_the_checks_catch_the_faults_they_are_for(library: ContentLibrary) -> None:
    """The combination walk fails on the faults it is there to find (a check that cannot fail
    is no check): a reason from outside the winning rule, a reason arguing for IOP under the
    medical result, a lost not sure, and withdrawal not leading."""
    content = library.languages["en"]
    reader = Reader(content)
    answers: dict[str, Answer] = dict.fromkeys((q.id for q in content.selfcheck.questions), "yes")
    answers["outpatient_before"] = "not_sure"
    good = evaluate(content.selfcheck, answers)
    check_outcome(reader, answers, good)
    other_rule = content.selfcheck.rules[-2]  # fits_daily_life, for IOP and outpatient
    faults = {
        "a reason of another rule": replace(
            good, reasons=(*good.reasons, other_rule.reasons["keep_working"]["yes"])
        ),
        "a reason naming IOP": replace(good, reasons=(f"{good.reasons[0]} IOP lets you do that.",)),
        "a lost not sure": replace(
            good,
            talk_over=good.talk_over[1:],
            talk_over_questions=good.talk_over_questions[1:],
        ),
        "withdrawal not leading": replace(
            good, result=content.selfcheck.result("iop_fit"), rule_id="fits_daily_life"
        ),
    }
    for fault, outcome in faults.items():
        with pytest.raises(AssertionError):
            check_outcome(reader, answers, outcome)
            pytest.fail(f"not caught: {fault}")


def test_english_medical_result_says_talk_to_medical_staff(library: ContentLibrary) -> None:
    result = library.languages["en"].selfcheck.result(MEDICAL)
    assert result.heading == "Talk to medical staff before you stop"


# --------------------------------------------------------------------------------------------
# Random rule sets
# --------------------------------------------------------------------------------------------


@st.composite
def selfchecks(draw: st.DrawFn) -> SelfCheckText:
    """A valid self-check: random questions, results and rules, each rule with a reason for
    every answer it counts, every question with a line to talk over for some answers."""
    question_ids = [f"q{i}" for i in range(draw(st.integers(1, 5)))]
    result_ids = [f"r{i}" for i in range(draw(st.integers(1, 4)))]
    answers_st = st.lists(st.sampled_from(ANSWERS), min_size=1, max_size=3, unique=True)
    questions = []
    for q in question_ids:
        talked = draw(st.lists(st.sampled_from(ANSWERS), unique=True))
        questions.append(
            Question(
                id=q,
                text=f"Question {q}?",
                talk_over={a: f"talk {q} {a}" for a in {*talked, "not_sure"}},
            )
        )
    rules = []
    for index in range(draw(st.integers(0, 5))):
        when = draw(
            st.dictionaries(st.sampled_from(question_ids), answers_st.map(tuple), min_size=1)
        )
        rules.append(
            Rule(
                id=f"rule{index}",
                result=draw(st.sampled_from(result_ids)),
                when_any=when,
                at_least=draw(st.integers(1, len(when))),
                reasons={
                    q: {a: f"rule{index} {q} {a}" for a in wanted} for q, wanted in when.items()
                },
            )
        )
    rules.append(Rule(id="last", result=draw(st.sampled_from(result_ids)), reason="none"))
    return SelfCheckText(
        questions=tuple(questions),
        results=tuple(Result(id=r, heading=r, message=r) for r in result_ids),
        rules=tuple(rules),
    )


@given(selfcheck=selfchecks(), data=st.data())
@settings(max_examples=400, deadline=None)
def test_random_rules_explain_only_what_decided(
    selfcheck: SelfCheckText, data: st.DataObject
) -> None:
    """First match wins; the reasons are the winner's, for its deciding answers only; every
    other answer with a line is listed to talk over; no not_sure is lost."""
    ids = [question.id for question in selfcheck.questions]
    answers = data.draw(st.dictionaries(st.sampled_from(ids), st.sampled_from(ANSWERS)))
    outcome = evaluate(selfcheck, answers)
    rule = first_matching_rule(selfcheck, answers)
    assert outcome.rule_id == rule.id and outcome.result.id == rule.result
    if rule.when_any is None:
        assert outcome.deciding == () and outcome.reasons == (rule.reason,)
    else:
        assert outcome.deciding
        for question_id, reason in zip(outcome.deciding, outcome.reasons, strict=True):
            assert reason == f"{rule.id} {question_id} {answers[question_id]}"
    assert set(outcome.deciding).isdisjoint(outcome.talk_over_questions)
    for question_id, answer in answers.items():
        if (
            question_id not in outcome.deciding
            and answer in selfcheck.question(question_id).talk_over
        ):
            assert f"talk {question_id} {answer}" in outcome.talk_over
        if answer == "not_sure":
            assert question_id in outcome.deciding or question_id in outcome.talk_over_questions
    # Unanswered questions neither decide nor come up to talk over.
    assert set(outcome.deciding) | set(outcome.talk_over_questions) <= set(answers)


def test_at_least_counts_matching_questions() -> None:
    selfcheck = SelfCheckText(
        questions=(Question(id="a", text="A?"), Question(id="b", text="B?")),
        results=(
            Result(id="both", heading="h", message="m"),
            Result(id="other", heading="h", message="m"),
        ),
        rules=(
            Rule(
                id="both",
                result="both",
                when_any={"a": ("yes",), "b": ("yes",)},
                at_least=2,
                reasons={"a": {"yes": "a"}, "b": {"yes": "b"}},
            ),
            Rule(id="other", result="other", reason="none"),
        ),
    )
    assert evaluate(selfcheck, {"a": "yes", "b": "yes"}).reasons == ("a", "b")
    assert evaluate(selfcheck, {"a": "yes", "b": "no"}).result.id == "other"
    assert evaluate(selfcheck, {"a": "yes", "b": "no"}).reasons == ("none",)
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
