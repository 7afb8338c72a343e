"""The private self-check: an intro, one question per view, then the result.

The answers live in one :class:`~kiosk.rules.selfcheck.AnswerSheet` owned by this screen, so they
die with it (Start over, leaving the self-check, idle reset). The result view's widgets exist from
the start; the parts built from the answers are filled only when the result shows, and emptied again
when the visitor goes back. A self-check that is closed is erased at once too
(:meth:`SelfCheckScreen.erase_answers`), before it is freed.

The answer buttons sit at the foot of the question view, under a text area that takes the
rest: they are in the same place for every question, however long its text, so a visitor who
taps the same spot always taps the same answer. The keys that answer come from the language's
content (Y / N / S in English, S / N / ? in Spanish) and are named under the buttons. Once an
answer is taken, the next question says so at its top ("✔ Answer taken for question 2: No")
and, where the visitor asked for read-aloud, says it aloud with the new question.

"Get help now" (or H) in the middle of the self-check shows the help lines as a view of this
screen, over the question: Back returns to the same question, answers and all. Being part of
this screen, the help view is built ahead with it (it shows in one frame) and dies with it:
Home, Hide, another area and the idle reset still erase everything.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import partial
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, ContentSwitcher, Static

from kiosk.content.model import ANSWERS, Answer, Question, answer_keys
from kiosk.rules.guide_phrases import Place
from kiosk.rules.selfcheck import AnswerSheet, Outcome, evaluate
from kiosk.screens.base import KioskScreen, set_usable
from kiosk.screens.help import help_place, help_speech
from kiosk.widgets import KioskButton
from kiosk.widgets.bullets import bullet_list
from kiosk.widgets.help_lines import HelpLines
from kiosk.widgets.qr_codes import QrCodes
from kiosk.widgets.status_line import StatusLine

#: The parts of the screen that show something the visitor answered, or built from it.
ANSWER_PARTS = (
    "#answer-status",
    "#result-heading",
    "#result-message",
    "#result-reasons",
    "#result-options",
    "#result-talk-over",
)


class SelfCheckScreen(KioskScreen):
    """Intro -> questions -> result, all inside one screen so one object holds the answers."""

    AREA = "selfcheck"

    #: Every self-check still in memory (weakly: this does not keep one alive). The kiosk must
    #: not exempt one from garbage collection (``gc.freeze``): it would never be freed.
    _in_memory: ClassVar[weakref.WeakSet[SelfCheckScreen]] = weakref.WeakSet()

    def __init__(self) -> None:
        super().__init__()
        self.answers = AnswerSheet()
        #: Index of the question on screen; -1 while the intro shows; len(questions) for the result.
        self.step = -1
        #: Whether the help lines are shown over the step (see :meth:`show_help`).
        self.help_shown = False
        #: How the visitor reached the step on screen, for the audio guide: with an answer
        #: (its label), with Back, or neither. Erased with the answers.
        self._arrived_by: tuple[str, str] = ("", "")
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

    def answer_label(self, answer: Answer) -> str:
        """The words of an answer's button, in this screen's language."""
        ui = self.content.ui
        return {"yes": ui.answer_yes, "no": ui.answer_no, "not_sure": ui.answer_not_sure}[answer]

    def key_label(self, answer: Answer) -> str:
        """The words under an answer button that name its key: "or press Y"."""
        ui = self.content.ui
        key = {"yes": ui.answer_yes_key, "no": ui.answer_no_key}.get(answer, ui.answer_not_sure_key)
        return ui.answer_key_label.format(key=key.upper())

    def compose_body(self) -> ComposeResult:
        ui = self.content.ui
        with Horizontal(classes="paged"):
            with ContentSwitcher(initial="selfcheck-intro", id="selfcheck-views"):
                with VerticalScroll(id="selfcheck-intro", classes="body column"):
                    yield Static(ui.selfcheck_intro, markup=False, classes="intro")
                    yield Static(ui.privacy_note, markup=False, classes="privacy")
                    yield KioskButton(ui.selfcheck_start_button, id="start", classes="primary")
                with Vertical(id="selfcheck-question"):
                    # Says that the last answer was taken (or, going back, what it was). As tall
                    # as its longest text, so that the buttons below never move.
                    yield StatusLine("", self._possible_statuses(), id="answer-status")
                    # The question takes the room left; the buttons stay at the foot.
                    with VerticalScroll(id="question-body", classes="body"):
                        yield Static("", id="question-counter", classes="counter", markup=False)
                        yield Static("", id="question-text", markup=False)
                        yield Static("", id="question-explain", markup=False, classes="explain")
                    with Vertical(id="answer-area"):
                        with Grid(id="answer-buttons"):
                            yield KioskButton(ui.answer_yes, id="answer-yes", classes="answer")
                            yield KioskButton(ui.answer_no, id="answer-no", classes="answer")
                            yield KioskButton(
                                ui.answer_not_sure, id="answer-not_sure", classes="answer"
                            )
                        # Each button's key, right under it (a hint line in three parts).
                        with Grid(id="answer-keys"):
                            for answer in ANSWERS:
                                yield Static(
                                    self.key_label(answer),
                                    id=f"key-{answer}",
                                    classes="answer-key",
                                    markup=False,
                                )
                with VerticalScroll(id="selfcheck-result", classes="body column"):
                    # What to do first, and Start over, fit on an 80x24 screen without
                    # scrolling. The parts built from the answers stay empty until the result
                    # shows, and are emptied again when the visitor goes back.
                    yield Static("", markup=False, id="result-heading")
                    yield Static("", markup=False, id="result-message")
                    yield Static(ui.not_a_diagnosis, markup=False, classes="note")
                    yield KioskButton(ui.start_over_button, id="start-over", action="app.reset")
                    yield HelpLines(self.content.help, id="result-help-lines")
                    yield Static(ui.result_reasons_title, markup=False, classes="block-heading")
                    yield Static("", id="result-reasons", classes="bullets")
                    yield Static(
                        ui.result_options_title,
                        markup=False,
                        classes="block-heading",
                        id="result-options-title",
                    )
                    yield Static("", id="result-options", classes="bullets")
                    yield Static(
                        ui.result_talk_over_title,
                        markup=False,
                        classes="block-heading",
                        id="result-talk-over-title",
                    )
                    yield Static("", id="result-talk-over", classes="bullets")
                    yield QrCodes(self.content.help, ui.qr_note, id="result-qr-codes")
                    yield Static(ui.privacy_note, markup=False, classes="privacy")
                with VerticalScroll(id="selfcheck-help", classes="body column"):
                    yield Static(
                        ui.help_over_selfcheck_note,
                        markup=False,
                        classes="intro privacy",
                        id="back-to-selfcheck",
                    )
                    yield Static(ui.help_intro, markup=False, classes="intro")
                    yield HelpLines(self.content.help)
                    yield QrCodes(self.content.help, ui.qr_note)
            yield self.page_buttons()

    def first_focus(self) -> Button:
        return self.query_one("#start", Button)

    def _possible_statuses(self) -> list[str]:
        """Every text the line above a question can show."""
        ui = self.content.ui
        labels = [self.answer_label(answer) for answer in ANSWERS]
        texts = [ui.answer_given.format(answer=label) for label in labels]
        texts += [
            ui.answer_taken.format(number=number, answer=label)
            for number in range(1, len(self.questions) + 1)
            for label in labels
        ]
        return texts

    def views_to_prepare(self) -> list[Callable[[], object]]:
        """The question and the result views, empty. A view shown for the first time needs a
        second layout once its size is known (20-35 ms later, on Textual's next frame); laid
        out ahead, it shows in one. Nothing a visitor answers is involved: the spare self-check
        is prepared before anyone uses it."""
        return [
            partial(self._switch_to, "selfcheck-question"),
            partial(self._switch_to, "selfcheck-result"),
            partial(self._switch_to, "selfcheck-help"),
        ]

    def start_again(self) -> None:
        """Back to the intro, as a new self-check. Called on the spare after its views were
        prepared; it holds no answers, but erasing costs nothing and keeps that true."""
        self.answers.erase()
        self.step = -1
        self._arrived_by = ("", "")
        self._clear_answer_parts()
        self._set_help_shown(False)
        self._switch_to("selfcheck-intro")
        super().start_again()

    def erase_answers(self) -> None:
        """The visitor closed this self-check: erase what they answered and everything built
        from it now, rather than only when Python frees the screen."""
        self.answers.erase()
        self.step = -1
        self._arrived_by = ("", "")
        self._clear_answer_parts()

    def _switch_to(self, view: str) -> None:
        self.query_one(ContentSwitcher).current = view

    def on_mount(self) -> None:
        self.take_first_focus()

    # -- speech -------------------------------------------------------------------------------

    def speech_text(self, private_audio: bool) -> str:
        ui = self.content.ui
        if self.help_shown:  # the help lines hold no answers
            return help_speech(self.content, over_self_check=True)
        if self.step < 0:  # the intro holds no answers
            return "\n".join([ui.selfcheck_title, ui.selfcheck_intro, ui.privacy_note])
        if not private_audio:
            # Questions and results would tell the room about the visitor: say why we are quiet.
            return ui.speech_private_note
        if self.step < len(self.questions):
            question = self.questions[self.step]
            counter = ui.question_counter.format(number=self.step + 1, total=len(self.questions))
            lines = [counter, question.text, question.explain, ui.answer_keys_spoken]
            return "\n".join(filter(None, lines))
        outcome = evaluate(self.content.selfcheck, self.answers.as_mapping())
        said = [outcome.result.heading, outcome.result.message, ui.not_a_diagnosis]
        said += [ui.result_reasons_title, *outcome.reasons]
        if outcome.talk_over:
            said += [ui.result_talk_over_title, *outcome.talk_over]
        said += help_speech(self.content).splitlines()[1:]  # every help line, as shown
        return "\n".join(said)

    def guide_place(self) -> Place:
        """The step on screen, for the audio guide. Questions and the result are private: the
        guide says them in full only with private audio (:mod:`kiosk.rules.guide_phrases`)."""
        ui = self.content.ui
        guide = ui.guide
        if self.help_shown:
            return help_place(self.content, over_self_check=True)
        if self.step < 0:
            return Place(
                ui.selfcheck_title,
                (ui.privacy_note,),
                guide.start_keys,
                came_back=self._arrived_by[0] == "back",
                self_check=True,
            )
        how, answer = self._arrived_by
        answered = answer if how == "answer" else ""
        if self.step < len(self.questions):
            question = self.questions[self.step]
            counter = ui.question_counter.format(number=self.step + 1, total=len(self.questions))
            given = self.answers.answer_to(question.id)
            detail = [f"{counter}: {question.text}", question.explain or ""]
            if given is not None:
                detail.append(ui.answer_given.format(answer=self.answer_label(given)))
            detail.append(ui.answer_keys_spoken)
            return Place(
                ui.selfcheck_title,
                tuple(line for line in detail if line),
                private=True,
                public_detail=(f"{counter}.",),
                describes_focus=True,
                focus_label=self.answer_label(given or "yes"),  # where show_question puts it
                answered=answered,
                came_back=how == "back",
                self_check=True,
            )
        outcome = evaluate(self.content.selfcheck, self.answers.as_mapping())
        lines = [outcome.result.heading, outcome.result.message, ui.not_a_diagnosis]
        lines += [ui.result_reasons_title, *outcome.reasons]
        names = [self.content.compare.option(o).name for o in outcome.result.points_to]
        if names:
            lines += [ui.result_options_title, *names]
        if outcome.talk_over:
            lines += [ui.result_talk_over_title, *outcome.talk_over]
        lines += help_speech(self.content).splitlines()[1:]
        return Place(
            ui.result_title,
            tuple(lines),
            guide.result_keys,
            private=True,
            public_detail=(guide.result_not_spoken,),
            describes_focus=True,
            answered=answered,
            self_check=True,
        )

    def announcement(self, number: int, answer: Answer, private_audio: bool) -> str:
        """What is said after an answer, to a visitor who asked for read-aloud: that the answer
        was taken, and the new question (or the result). Where others could hear, neither the
        answer nor the question: only that it was taken, and where the visitor is now."""
        ui = self.content.ui
        if private_audio:
            taken = ui.answer_taken.format(number=number, answer=self.answer_label(answer))
            return f"{taken}\n{self.speech_text(private_audio=True)}"
        if self.step < len(self.questions):
            where = ui.question_counter.format(number=self.step + 1, total=len(self.questions))
        else:
            where = ui.result_title
        return f"{ui.answer_taken_spoken}\n{where}"

    # -- navigation ---------------------------------------------------------------------------

    def show_question(self, index: int, taken: tuple[int, Answer] | None = None) -> None:
        """Show question ``index`` (0-based) with its previous answer, if any, focused.

        ``taken``: the number and answer of the question just answered, confirmed at the top.
        """
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
        given = self.answers.answer_to(question.id)
        if taken is not None:
            number, answer = taken
            status = ui.answer_taken.format(number=number, answer=self.answer_label(answer))
        elif given is not None:
            status = ui.answer_given.format(answer=self.answer_label(given))
        else:
            status = ""
        self.query_one("#answer-status", StatusLine).show(status)
        self._clear_result()
        self.query_one(ContentSwitcher).current = "selfcheck-question"
        self.query_one(f"#answer-{given or 'yes'}", Button).focus()
        self.query_one("#question-body", VerticalScroll).scroll_home(animate=False)
        self.update_page_buttons()

    def show_result(self) -> None:
        """Evaluate the answers and show the result."""
        self.step = len(self.questions)
        outcome = evaluate(self.content.selfcheck, self.answers.as_mapping())
        self._fill_result(outcome)
        view = self.query_one("#selfcheck-result", VerticalScroll)
        self.query_one(ContentSwitcher).current = "selfcheck-result"
        view.scroll_home(animate=False)
        # Focus the text, not "Start over": one stray Enter must not erase the result. Arrow
        # keys then scroll the result; Tab reaches Start over.
        view.focus(scroll_visible=False)
        self.update_page_buttons()

    def _fill_result(self, outcome: Outcome) -> None:
        compare = self.content.compare
        self.query_one("#result-heading", Static).update(outcome.result.heading)
        self.query_one("#result-message", Static).update(outcome.result.message)
        self.query_one("#result-reasons", Static).update(bullet_list(outcome.reasons))
        names = [compare.option(option_id).name for option_id in outcome.result.points_to]
        self.query_one("#result-options", Static).update(bullet_list(names))
        self.query_one("#result-talk-over", Static).update(bullet_list(outcome.talk_over))
        for part, shown in (("options", bool(names)), ("talk-over", bool(outcome.talk_over))):
            self.query_one(f"#result-{part}-title").display = shown
            self.query_one(f"#result-{part}").display = shown

    def _clear_result(self) -> None:
        """Empty the parts of the result built from the answers (going back to a question)."""
        self._clear(ANSWER_PARTS[1:])

    def _clear_answer_parts(self) -> None:
        """Empty everything that shows an answer, or was built from the answers."""
        self._clear(ANSWER_PARTS)

    def _clear(self, selectors: tuple[str, ...]) -> None:
        for part in self.query(", ".join(selectors)):
            if isinstance(part, StatusLine):
                part.show("")
            elif isinstance(part, Static) and str(part.content):
                part.update("")

    # -- help over the self-check -------------------------------------------------------------

    def show_help(self) -> None:
        """Show the help lines over the step on screen (H, or "Get help now")."""
        if self.help_shown:
            return
        self._set_help_shown(True)
        view = self.query_one("#selfcheck-help", VerticalScroll)
        self._switch_to("selfcheck-help")
        view.scroll_home(animate=False)
        self.query_one("#nav-back", Button).focus()
        self.update_page_buttons()

    def hide_help(self) -> None:
        """Back from the help lines to the step the visitor was on, as they left it."""
        self._set_help_shown(False)
        self._arrived_by = ("", "")
        if self.step < 0:
            self._switch_to("selfcheck-intro")
            self.query_one("#start", Button).focus()
        elif self.step < len(self.questions):
            self._switch_to("selfcheck-question")
            given = self.answers.answer_to(self.questions[self.step].id)
            self.query_one(f"#answer-{given or 'yes'}", Button).focus()
        else:
            self._switch_to("selfcheck-result")
            self.query_one("#selfcheck-result", VerticalScroll).focus(scroll_visible=False)
        self.update_page_buttons()

    def _set_help_shown(self, shown: bool) -> None:
        """Note whether the help shows: say so in the title line, and hide the "Get help now"
        button while its help is on screen (Back is the way on)."""
        self.help_shown = shown
        ui = self.content.ui
        title = self.query_one("#screen-title", Static)
        title.update(ui.help_title if shown else ui.selfcheck_title)
        set_usable(self.query_one("#nav-help", KioskButton), not shown)

    def go_back(self) -> bool:
        """Back one step inside the self-check (from the help lines: back to the step); from
        the intro, leave it."""
        if self.help_shown:
            self.hide_help()
            return True
        if self.step < 0:
            return False
        self._arrived_by = ("back", "")
        if self.step == 0:
            self.step = -1
            self.query_one("#answer-status", StatusLine).show("")
            self.query_one(ContentSwitcher).current = "selfcheck-intro"
            self.query_one("#start", Button).focus()
            self.update_page_buttons()
        else:
            self.show_question(self.step - 1)
        return True

    # -- input --------------------------------------------------------------------------------

    def action_answer(self, answer: Answer) -> None:
        """Answer the question on screen (its keys, or the buttons)."""
        if not 0 <= self.step < len(self.questions) or self.help_shown:
            return
        number = self.step + 1
        self.answers.give(self.questions[self.step].id, answer)
        self._arrived_by = ("answer", self.answer_label(answer))
        if self.step + 1 < len(self.questions):
            self.show_question(self.step + 1, taken=(number, answer))
        else:
            self.show_result()
        if self.reading_aloud:
            private = self.kiosk.settings.speech.private_audio
            self.kiosk.announce(self.announcement(number, answer, private))

    def on_key(self, event: events.Key) -> None:
        """The language's answer keys, in either case, while a question is on screen."""
        if not 0 <= self.step < len(self.questions) or self.help_shown:
            return
        if event.character is None:
            return
        answer = answer_keys(self.content.ui).get(event.character.lower())
        if answer is not None:
            event.stop()
            event.prevent_default()
            self.action_answer(answer)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id == "start":
            event.stop()
            self._arrived_by = ("", "")
            self.show_question(0)
        elif button_id.startswith("answer-"):
            event.stop()
            answer = button_id.removeprefix("answer-")
            if answer in ANSWERS:
                self.action_answer(answer)
