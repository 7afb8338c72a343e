"""The self-check's decision: answers -> one result, the answers that decided it, and the rest.

Pure: no UI, no I/O, no logging, nothing kept between calls. The rules are data from
``selfcheck.yaml`` (see :class:`kiosk.content.model.Rule`): the first rule whose conditions match
picks the result, and the validated content always ends with a rule that matches everything, so
every set of answers gets exactly one result.

The result explains itself only with what decided it: the reasons of the winning rule, for the
answers that made it match (the content keeps each reason inside its rule, so a reason cannot
appear under another rule's result). Every other answer the content has a neutral line for is
listed apart, as a thing to talk over with staff. A "not sure" therefore either decides the
result or is listed to talk over (``kiosk validate`` refuses content where it could vanish).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from kiosk.content.model import Answer, Result, Rule, SelfCheckText


@dataclass(frozen=True)
class Outcome:
    """What the result screen shows: the result, why, and what else to talk over."""

    result: Result
    #: The id of the rule that picked the result.
    rule_id: str
    #: "Why we suggest this": the winning rule's lines for the answers that made it match, in
    #: the rule's order (the rule that always matches has one line of its own).
    reasons: tuple[str, ...]
    #: Ids of the questions whose answers made the winning rule match, in the rule's order.
    deciding: tuple[str, ...]
    #: "To talk over with staff": the neutral lines for the other answers, in question order.
    talk_over: tuple[str, ...]
    #: Ids of the questions behind ``talk_over``, in the same order.
    talk_over_questions: tuple[str, ...]


def matching_questions(rule: Rule, answers: Mapping[str, Answer]) -> tuple[str, ...]:
    """The questions of ``rule`` whose answer is one the rule lists, in the rule's order."""
    if rule.when_any is None:
        return ()
    return tuple(
        question_id
        for question_id, wanted in rule.when_any.items()
        if answers.get(question_id) in wanted
    )


def rule_matches(rule: Rule, answers: Mapping[str, Answer]) -> bool:
    """Whether ``rule`` applies to these answers."""
    if rule.when_any is None:
        return True
    return len(matching_questions(rule, answers)) >= rule.at_least


def winning_rule(selfcheck: SelfCheckText, answers: Mapping[str, Answer]) -> Rule:
    """The first rule that applies. Raises ``ValueError`` only for content that skipped
    validation and has no rule that matches."""
    for rule in selfcheck.rules:
        if rule_matches(rule, answers):
            return rule
    raise ValueError("no self-check rule matched; the last rule must have no when_any")


def evaluate(selfcheck: SelfCheckText, answers: Mapping[str, Answer]) -> Outcome:
    """Pick the result for ``answers`` (question id -> answer) and explain it.

    Unanswered questions simply match nothing and have nothing to talk over.
    """
    rule = winning_rule(selfcheck, answers)
    deciding = matching_questions(rule, answers)
    if rule.when_any is None:
        reasons: tuple[str, ...] = (rule.reason,) if rule.reason else ()
    else:
        reasons = tuple(
            text
            for question_id in deciding
            if (text := rule.reasons.get(question_id, {}).get(answers[question_id]))
        )
    talk_over: list[tuple[str, str]] = []
    for question in selfcheck.questions:
        answer = answers.get(question.id)
        if question.id in deciding or answer is None:
            continue
        line = question.talk_over.get(answer)
        if line:
            talk_over.append((question.id, line))
    return Outcome(
        result=selfcheck.result(rule.result),
        rule_id=rule.id,
        reasons=reasons,
        deciding=deciding,
        talk_over=tuple(line for _, line in talk_over),
        talk_over_questions=tuple(question_id for question_id, _ in talk_over),
    )


class AnswerSheet:
    """The visitor's answers, held only while the self-check screen is open.

    The self-check screen owns the only instance; it dies with the screen on Start over, on
    leaving the self-check and on every reset. ``repr`` never shows the answers, so they cannot
    reach a log line or an error report by accident.
    """

    __slots__ = ("_answers",)

    def __init__(self) -> None:
        self._answers: dict[str, Answer] = {}

    def __repr__(self) -> str:
        return f"<AnswerSheet: {len(self._answers)} answer(s), hidden>"

    def __len__(self) -> int:
        return len(self._answers)

    def give(self, question_id: str, answer: Answer) -> None:
        """Record (or change) the answer to one question."""
        self._answers[question_id] = answer

    def answer_to(self, question_id: str) -> Answer | None:
        """The answer given to one question, if any."""
        return self._answers.get(question_id)

    def erase(self) -> None:
        """Drop every answer."""
        self._answers.clear()

    def as_mapping(self) -> Mapping[str, Answer]:
        """A read-only view for :func:`evaluate`."""
        return MappingProxyType(self._answers)
