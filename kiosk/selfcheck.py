"""The self-check's decision: answers -> one result and the reasons for it.

Pure: no UI, no I/O, no logging, nothing kept between calls. The rules are data from
``selfcheck.yaml`` (see :class:`kiosk.content.Rule`): the first rule whose conditions match picks
the result, and the validated content always ends with a rule that matches everything, so every
set of answers gets exactly one result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from kiosk.content import Answer, Result, Rule, SelfCheckText


@dataclass(frozen=True)
class Outcome:
    """What the result screen shows: the result and the visitor's own answers behind it."""

    result: Result
    #: "Because you said…" lines: first the answers that decided the result, then the others
    #: that the content gives a reason for, in question order.
    reasons: tuple[str, ...]
    #: Ids of the questions whose answers made the winning rule match.
    deciding: tuple[str, ...]


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


def evaluate(selfcheck: SelfCheckText, answers: Mapping[str, Answer]) -> Outcome:
    """Pick the result for ``answers`` (question id -> answer) and explain it.

    Unanswered questions simply match nothing. Raises ``ValueError`` only for content that
    skipped validation and has no rule that matches.
    """
    for rule in selfcheck.rules:
        if not rule_matches(rule, answers):
            continue
        deciding = matching_questions(rule, answers)
        reasons = [_reason(selfcheck, question_id, answers) for question_id in deciding]
        for question in selfcheck.questions:
            if question.id not in deciding:
                reasons.append(_reason(selfcheck, question.id, answers))
        return Outcome(
            result=selfcheck.result(rule.result),
            reasons=tuple(reason for reason in reasons if reason),
            deciding=deciding,
        )
    raise ValueError("no self-check rule matched; the last rule must have no when_any")


def _reason(selfcheck: SelfCheckText, question_id: str, answers: Mapping[str, Answer]) -> str:
    """The content's "because you said…" line for this question's answer, or ''."""
    answer = answers.get(question_id)
    if answer is None:
        return ""
    return selfcheck.question(question_id).reasons.get(answer, "")


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
