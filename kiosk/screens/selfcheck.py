"""The private self-check: an intro, one question per view, then the result.

The answers live in one :class:`~kiosk.selfcheck.AnswerSheet` owned by this screen, so they die
with it (Start over, leaving the self-check, idle reset). The result view's widgets exist from
the start; the parts built from the answers are filled only when the result shows, and emptied
again when the visitor goes back. A self-check that is closed is erased at once too
(:meth:`SelfCheckScreen.erase_answers`), before it is freed.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import partial
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, ContentSwitcher, Static

from kiosk.content import ANSWERS, Answer, Question
from kiosk.screens.base import KioskScreen
from kiosk.selfcheck import AnswerSheet, evaluate
from kiosk.widgets import KioskButton
from kiosk.widgets.bullets import bullet_list
from kiosk.widgets.help_lines import HelpLines
from kiosk.widgets.qr_codes import QrCodes


class SelfCheckScreen(KioskScreen):
    """Intro -> questions -> result, all inside one screen so one object holds the answers."""

    AREA = "selfcheck"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer('yes')", "Yes", show=False),
        Binding("n", "answer('no')", "No", show=False),
        Binding("s", "answer('not_sure')", "Not sure", show=False),
    ]

    #: Every self-check still in memory (weakly: this does not keep one alive). The kiosk must
    #: not exempt one from garbage collection (``gc.freeze``): it would never be freed.
    _in_memory: ClassVar[weakref.WeakSet[SelfCheckScreen]] = weakref.WeakSet()

    def __init__(self) -> None:
        super().__init__()
        self.answers = AnswerSheet()
        #: Index of the question on screen; -1 while the intro shows; len(questions) for the result.
        self.step = -1
        SelfCheckScreen._in_memory.add(self)

    @classmethod
    def in_memory(cls) -> list[SelfCheckScreen]:
        """Every self-check that exists: in use, the spare, or closed but not yet freed."""
        return list(cls._in_memory)

    @property
    def questions(self) -> tuple[Question, ...]:
        return self.content.selfcheck.questions

    def screen_title(self) -> str:
        return self.content.ui.selfcheck_title

    def compose_body(self) -> ComposeResult:
        ui = self.content.ui
        with Horizontal(classes="paged"):
            with ContentSwitcher(initial="selfcheck-intro", id="selfcheck-views"):
                with VerticalScroll(id="selfcheck-intro", classes="body"):
                    yield Static(ui.selfcheck_intro, markup=False, classes="intro")
                    yield Static(ui.privacy_note, markup=False, classes="privacy")
                    yield KioskButton(ui.selfcheck_start_button, id="start", classes="primary")
                with VerticalScroll(id="selfcheck-question", classes="body"):
                    yield Static("", id="question-counter", classes="counter", markup=False)
                    yield Static("", id="question-text", markup=False)
                    yield Static("", id="question-explain", markup=False, classes="explain")
                    with Grid(id="answer-buttons"):
                        yield KioskButton(ui.answer_yes, id="answer-yes", classes="answer")
                        yield KioskButton(ui.answer_no, id="answer-no", classes="answer")
                        yield KioskButton(
                            ui.answer_not_sure, id="answer-not_sure", classes="answer"
                        )
                with VerticalScroll(id="selfcheck-result", classes="body"):
                    # What to do first, and Start over, fit on an 80x24 screen without
                    # scrolling. The three parts built from the answers stay empty until the
                    # result shows, and are emptied again when the visitor goes back.
                    yield Static("", markup=False, id="result-heading")
                    yield Static("", markup=False, id="result-message")
                    yield Static(ui.not_a_diagnosis, markup=False, classes="note")
                    yield KioskButton(ui.start_over_button, id="start-over", action="app.reset")
                    yield HelpLines(self.content.help, id="result-help-lines")
                    yield Static(ui.result_reasons_title, markup=False, classes="block-heading")
                    yield Static("", id="result-reasons", classes="bullets")
                    yield QrCodes(self.content.help, ui.qr_note, id="result-qr-codes")
                    yield Static(ui.privacy_note, markup=False, classes="privacy")
            yield self.page_buttons()

    def first_focus(self) -> Button:
        return self.query_one("#start", Button)

    def views_to_prepare(self) -> list[Callable[[], object]]:
        """The question and the result views, empty. A view shown for the first time needs a
        second layout once its size is known (20-35 ms later, on Textual's next frame); laid
        out ahead, it shows in one. Nothing a visitor answers is involved: the spare self-check
        is prepared before anyone uses it."""
        return [
            partial(self._switch_to, "selfcheck-question"),
            partial(self._switch_to, "selfcheck-result"),
        ]

    def start_again(self) -> None:
        """Back to the intro, as a new self-check. Called on the spare after its views were
        prepared; it holds no answers, but erasing costs nothing and keeps that true."""
        self.answers.erase()
        self.step = -1
        self._clear_result()
        self._switch_to("selfcheck-intro")
        super().start_again()

    def erase_answers(self) -> None:
        """The visitor closed this self-check: erase what they answered and the result built
        from it now, rather than only when Python frees the screen."""
        self.answers.erase()
        self.step = -1
        self._clear_result()

    def _switch_to(self, view: str) -> None:
        self.query_one(ContentSwitcher).current = view

    def on_mount(self) -> None:
        self.focus_first()

    def speech_text(self, private_audio: bool) -> str:
        ui = self.content.ui
        if self.step < 0:  # the intro holds no answers
            return "\n".join([ui.selfcheck_title, ui.selfcheck_intro, ui.privacy_note])
        if not private_audio:
            # Questions and results would tell the room about the visitor: say why we are quiet.
            return ui.speech_private_note
        if self.step < len(self.questions):
            question = self.questions[self.step]
            counter = ui.question_counter.format(number=self.step + 1, total=len(self.questions))
            answers = f"{ui.answer_yes}. {ui.answer_no}. {ui.answer_not_sure}."
            return "\n".join(filter(None, [counter, question.text, question.explain, answers]))
        outcome = evaluate(self.content.selfcheck, self.answers.as_mapping())
        lines = [outcome.result.heading, outcome.result.message, ui.not_a_diagnosis]
        lines += [ui.result_reasons_title, *outcome.reasons]
        return "\n".join(lines)

    # -- navigation ---------------------------------------------------------------------------

    def show_question(self, index: int) -> None:
        """Show question ``index`` (0-based) with its previous answer, if any, focused."""
        self.step = index
        question = self.questions[index]
        ui = self.content.ui
        self.query_one("#question-counter", Static).update(
            ui.question_counter.format(number=index + 1, total=len(self.questions))
        )
        self.query_one("#question-text", Static).update(question.text)
        explain = self.query_one("#question-explain", Static)
        explain.update(question.explain or "")
        explain.display = bool(question.explain)
        self._clear_result()
        self.query_one(ContentSwitcher).current = "selfcheck-question"
        given = self.answers.answer_to(question.id) or "yes"
        self.query_one(f"#answer-{given}", Button).focus()
        self.query_one("#selfcheck-question", VerticalScroll).scroll_home(animate=False)
        # Now, not after the next frame: a view shown before already knows its size, so the
        # ▲ / ▼ buttons are right in the same frame; a new one updates them as it is laid out.
        self.update_page_buttons()

    def show_result(self) -> None:
        """Evaluate the answers and show the result."""
        self.step = len(self.questions)
        outcome = evaluate(self.content.selfcheck, self.answers.as_mapping())
        view = self.query_one("#selfcheck-result", VerticalScroll)
        self.query_one("#result-heading", Static).update(outcome.result.heading)
        self.query_one("#result-message", Static).update(outcome.result.message)
        self.query_one("#result-reasons", Static).update(bullet_list(outcome.reasons))
        self.query_one(ContentSwitcher).current = "selfcheck-result"
        view.scroll_home(animate=False)
        # Focus the text, not "Start over": one stray Enter must not erase the result. Arrow
        # keys then scroll the result; Tab reaches Start over.
        view.focus(scroll_visible=False)
        # Now, not after the next frame: a view shown before already knows its size, so the
        # ▲ / ▼ buttons are right in the same frame; a new one updates them as it is laid out.
        self.update_page_buttons()

    def _clear_result(self) -> None:
        """Empty the parts of the result built from the answers (going back to a question)."""
        for part in self.query("#result-heading, #result-message, #result-reasons"):
            if isinstance(part, Static) and str(part.content):
                part.update("")

    def go_back(self) -> bool:
        """Back one step inside the self-check; from the intro, leave it."""
        if self.step < 0:
            return False
        if self.step == 0:
            self.step = -1
            self.query_one(ContentSwitcher).current = "selfcheck-intro"
            self.query_one("#start", Button).focus()
            self.update_page_buttons()
        else:
            self.show_question(self.step - 1)
        return True

    # -- input --------------------------------------------------------------------------------

    def action_answer(self, answer: Answer) -> None:
        """Answer the question on screen (keys Y, N, S; the buttons do the same)."""
        if 0 <= self.step < len(self.questions):
            self.answers.give(self.questions[self.step].id, answer)
            if self.step + 1 < len(self.questions):
                self.show_question(self.step + 1)
            else:
                self.show_result()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id == "start":
            event.stop()
            self.show_question(0)
        elif button_id.startswith("answer-"):
            event.stop()
            answer = button_id.removeprefix("answer-")
            if answer in ANSWERS:
                self.action_answer(answer)  # type: ignore[arg-type]
