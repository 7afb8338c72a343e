"""Compare: every option against the same rows; pick two or three, or open one.

Everything here is a plain button (one tap, or Tab + Enter): Textual's DataTable needs a second
tap to select a cell that is not highlighted, which fails visitors using touch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, Self, TypeVar

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from kiosk.content.model import Content, Mark, Option, UiText, Value
from kiosk.rules.guide_phrases import Place
from kiosk.screens.base import KioskScreen, KioskServices
from kiosk.widgets import KioskButton
from kiosk.widgets.bullets import bullet_list
from kiosk.widgets.buttons import SnugButton
from kiosk.widgets.status_line import StatusLine

#: Symbols that go with the words of a value: state is never shown by colour alone.
MARK_SYMBOLS: dict[Mark, str] = {"yes": "✔", "no": "✘", "partly": "◐", "info": "•", "depends": "◇"}
#: How many options fit side by side.
MAX_PICKED = 3
#: Columns of a compare screen that its text cannot use: the page buttons beside it (11), the
#: body's padding (2), its scrollbar (1) and a column of slack so a table never touches it.
BESIDE_TEXT = 15


def value_words(value: Value, ui: UiText) -> str:
    """A value's words: its own, or, for a value that depends on the program, the words
    every such value shares (so that no option is described more kindly)."""
    return ui.value_depends if value.text is None else value.text


def value_text(option: Option, row_id: str, ui: UiText) -> Text:
    """One cell: the mark's symbol, then the words."""
    value = option.values[row_id]
    return Text(f"{MARK_SYMBOLS[value.mark]} {value_words(value, ui)}")


def _longest_word(texts: Sequence[str]) -> int:
    return max((len(word) for text in texts for word in text.split()), default=1)


def comparison_table(content: Content, options: Sequence[Option]) -> Table:
    """Rows down the side, the given options across the top.

    No column is narrower than its longest word (plus the mark), so no word is ever cut.
    """
    compare, ui = content.compare, content.ui
    table = Table(
        box=box.SIMPLE_HEAD,
        show_lines=True,
        expand=True,
        padding=(0, 1),
        pad_edge=False,
        header_style="bold",
    )
    table.add_column(
        "", style="bold", ratio=3, min_width=_longest_word([r.label for r in compare.rows])
    )
    for option in options:
        words = [
            option.short_name,
            *(f"{MARK_SYMBOLS[v.mark]} {value_words(v, ui)}" for v in option.values.values()),
        ]
        table.add_column(option.short_name, ratio=3, min_width=_longest_word(words))
    for row in compare.rows:
        table.add_row(Text(row.label), *(value_text(option, row.id, ui) for option in options))
    return table


def table_width_needed(table: Table) -> int:
    """Cells the table needs to keep every word whole (minimum widths plus padding and edges)."""
    # Two cells of padding per column and one spare: Rich shortens a header that only just fits.
    return sum((column.min_width or 1) + 3 for column in table.columns) + 2


def comparison_list(content: Content, options: Sequence[Option]) -> Group:
    """The same facts for a narrow screen: each row as a heading, one line per option under it."""
    compare, ui = content.compare, content.ui
    parts: list[Text | Table] = []
    name_width = max(len(option.short_name) for option in options)
    for row in compare.rows:
        parts.append(Text(row.label, style="bold underline"))
        values = Table.grid(padding=(0, 1), expand=True)
        values.add_column(no_wrap=True, style="bold", width=name_width)
        values.add_column(ratio=1)
        for option in options:
            values.add_row(Text(option.short_name), value_text(option, row.id, ui))
        parts += [values, Text("")]
    return Group(*parts)


def fitting_comparison(content: Content, options: Sequence[Option], width: int) -> Table | Group:
    """A side-by-side table if every word fits in ``width`` cells, else the narrow list."""
    table = comparison_table(content, options)
    return table if table_width_needed(table) <= width else comparison_list(content, options)


#: Narrowest column that keeps words whole ("Outpatient", "Sometimes").
MIN_COLUMN_WIDTH = 15
#: Room for the row labels.
LABEL_WIDTH = 18


def comparison_tables(content: Content, options: Sequence[Option], width: int) -> Group:
    """All ``options`` in as few tables as fit ``width`` cells with whole words in every cell.

    At 160 columns that is one table of seven options; at 80 columns, one of four and one of
    three; on a 60-column portrait screen, tables of two.
    """
    per_table = max(1, (width - LABEL_WIDTH) // MIN_COLUMN_WIDTH)
    if per_table < 2:
        # One option per table compares nothing: list the rows with every option under each.
        return comparison_list(content, options)
    chunks = [options[start : start + per_table] for start in range(0, len(options), per_table)]
    return Group(*(comparison_table(content, chunk) for chunk in chunks))


def spoken_rows(content: Content, options: Sequence[Option]) -> str:
    """The table as sentences: "Live at home? IOP: Yes. Inpatient: No, you live there." """
    lines = []
    for row in content.compare.rows:
        values = " ".join(
            f"{option.short_name}: {value_words(option.values[row.id], content.ui)}."
            for option in options
        )
        lines.append(f"{row.label} {values}")
    return "\n".join(lines)


class Legend:
    """Entries set in lines as wide as the screen allows, a line breaking only between two
    entries (a narrow screen wrapped "•" onto a line of its own, away from its words)."""

    def __init__(self, entries: Sequence[Text]) -> None:
        self.entries = list(entries)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        line = Text()
        for entry in self.entries:
            if line and len(line) + len(LEGEND_GAP) + len(entry) > options.max_width:
                yield line
                line = Text()
            if line:
                line.append(LEGEND_GAP)
            line.append_text(entry)
        if line:
            yield line


#: Between two entries of the legend.
LEGEND_GAP = "   "


def legend(ui: UiText) -> Legend:
    """The key to the symbols: "✔ Yes   ◐ Partly or sometimes   ✘ No   • Facts   ◇ Depends…",
    each entry kept whole on its line (:class:`Legend`)."""
    words: dict[Mark, str] = {"yes": ui.legend_yes, "partly": ui.legend_partly, "no": ui.legend_no}
    words["info"] = ui.legend_info
    words["depends"] = ui.value_depends
    return Legend([Text(f"{MARK_SYMBOLS[mark]} {word}") for mark, word in words.items()])


class ActionButton(KioskButton):
    """One of the compare screen's actions. Its label may wrap in a narrow third of the row,
    so focus is marked before the first word only: a marker after the last could be cut."""

    FOCUS_MARKERS = ("▶ ", "")


class OptionToggle(SnugButton):
    """A button that picks or un-picks one option, and says which in words."""

    GUIDE_KIND = "option"

    def __init__(self, option: Option, ui: UiText) -> None:
        super().__init__(
            option.short_name, id=f"pick-{option.id}", classes="option-toggle", tight=True
        )
        self.option = option
        self.ui = ui
        self.picked = False
        self._update()

    def guide_label(self) -> str:
        return self.option.short_name

    def guide_state(self) -> str:
        return self.ui.compare_selected if self.picked else self.ui.compare_not_selected

    def toggle(self) -> None:
        """Pick if not picked, un-pick if picked."""
        self.picked = not self.picked
        self._update()

    def unpick(self) -> None:
        """Un-pick."""
        self.picked = False
        self._update()

    def _update(self) -> None:
        box = "☑" if self.picked else "☐"
        state = self.ui.compare_selected if self.picked else self.ui.compare_not_selected
        self.set_label(f"{box} {self.option.short_name}\n{state}")
        self.set_class(self.picked, "-picked")


class CompareScreen(KioskScreen):
    """The picker, the actions, and the grid of every option."""

    AREA = "compare"

    def screen_title(self) -> str:
        return self.content.ui.compare_title

    def compose_body(self) -> ComposeResult:
        ui = self.content.ui
        compare = self.content.compare
        with Horizontal(classes="paged"):
            with Vertical(id="compare-column"):
                with VerticalScroll(classes="body", id="compare-body"):
                    yield Static(ui.compare_intro, markup=False, classes="intro")
                    yield StatusLine(
                        ui.compare_pick_hint, self._possible_statuses(), id="compare-status"
                    )
                    with Grid(id="option-picker"):
                        for option in compare.options:
                            yield OptionToggle(option, ui)
                    yield Static(legend(ui), id="compare-legend", classes="legend")
                    yield Static(
                        ui.compare_more_below, id="compare-more", classes="note", markup=False
                    )
                    yield Static(id="compare-grid")
                # Under the text, not in it: on every screen size the actions are in sight (at
                # 80 x 24 they were below the fold, under the picker). Before ▲ / ▼ for Tab.
                with Grid(id="compare-actions"):
                    for label, button_id in (
                        (ui.compare_side_by_side_button, "side-by-side"),
                        (ui.compare_details_button, "details"),
                        (ui.compare_clear_button, "clear"),
                    ):
                        # Tight: a long label wraps onto a second line inside its third.
                        yield ActionButton(label, id=button_id, tight=True)
            yield self.page_buttons()

    def on_mount(self) -> None:
        self.take_first_focus()

    def start_again(self) -> None:
        """Nothing picked, the hint shown, the first option focused, scrolled to the top."""
        for toggle in self.query(OptionToggle):
            if toggle.picked:
                toggle.unpick()
        self._set_status(self.content.ui.compare_pick_hint)
        super().start_again()

    def first_focus(self) -> OptionToggle:
        return self.query_one(OptionToggle)

    def _set_status(self, text: str) -> None:
        self.status = text
        self.query_one("#compare-status", StatusLine).show(text)

    def _advise(self, text: str) -> None:
        """Say what to do on the status line, and bring it into sight (on a small screen the
        visitor may have scrolled past it, to the last options)."""
        self._set_status(text)
        self.query_one("#compare-status").scroll_visible(animate=False)

    #: The status line's text (the pick hint, what is picked, or what is missing).
    status: str = ""

    def guide_place(self) -> Place:
        ui = self.content.ui
        return Place(
            ui.compare_title, (self.status or ui.compare_pick_hint,), ui.guide.compare_keys
        )

    def _possible_statuses(self) -> list[str]:
        """Every text the status line can show; the longest sets its height."""
        ui = self.content.ui
        longest = sorted(self.content.compare.options, key=lambda o: -len(o.short_name))
        return [
            ui.compare_need_more,
            ui.compare_at_most,
            ui.compare_details_one,
            self._status_text(longest[:MAX_PICKED]),
        ]

    def speech_text(self, private_audio: bool) -> str:
        ui = self.content.ui
        lines = [ui.compare_title, ui.compare_intro, ui.compare_pick_hint]
        lines += [
            f"{option.name}. {option.summary.text}" for option in self.content.compare.options
        ]
        return "\n".join(lines)

    def on_resize(self, event: events.Resize) -> None:
        # As many option buttons across as fit their longest label (4, 3 or 2).
        self.query_one("#option-picker", Grid).styles.grid_size_columns = self._picker_columns(
            event.size.width - BESIDE_TEXT
        )
        # The grid's layout depends on the width: rebuild it when the terminal changes size.
        width = event.size.width - BESIDE_TEXT
        grid = comparison_tables(self.content, self.content.compare.options, width)
        self.query_one("#compare-grid", Static).update(grid)
        # When the options are split over several tables, say so above the first one.
        self.query_one("#compare-more").display = len(grid.renderables) > 1

    def _picker_columns(self, width: int) -> int:
        ui = self.content.ui
        labels = [f"☐ {option.short_name}" for option in self.content.compare.options]
        labels += [ui.compare_selected, ui.compare_not_selected]
        needed = max(len(label) for label in labels) + 1 + 2  # focus arrow and border
        for columns in (4, 3, 2):
            if (width - (columns - 1)) // columns >= needed:
                return columns
        return 1

    @property
    def picked(self) -> list[Option]:
        """The picked options, in the content's order."""
        return [toggle.option for toggle in self.query(OptionToggle) if toggle.picked]

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button
        ui = self.content.ui
        if isinstance(button, OptionToggle):
            if not button.picked and len(self.picked) >= MAX_PICKED:
                # Said plainly, with the way out: a fourth pick changes nothing.
                self._advise(ui.compare_at_most)
                return
            button.toggle()
            self._set_status(self._status_text(self.picked))
        elif button.id == "clear":
            for toggle in self.query(OptionToggle):
                toggle.unpick()
            self._set_status(ui.compare_pick_hint)
        elif button.id == "side-by-side":
            if 2 <= len(self.picked) <= MAX_PICKED:
                self.app.push_screen(side_by_side_screen(self.kiosk, self.picked))
            else:
                self._advise(ui.compare_need_more)
        elif button.id == "details":
            picked = self.picked
            if len(picked) == 1:
                self.app.push_screen(option_screen(self.kiosk, picked[0]))
            elif picked:
                # Several picked: not one of them chosen silently; say how to choose.
                self._advise(ui.compare_details_one)
            else:
                self._advise(ui.compare_pick_hint)

    def _status_text(self, picked: Sequence[Option]) -> str:
        """ "Selected: IOP, PHP" (the line is left empty when nothing is picked)."""
        names = ", ".join(option.short_name for option in picked)
        word = self.content.ui.compare_selected
        return f"{word[:1].upper()}{word[1:]}: {names}" if names else ""

    def pick(self, *option_ids: str) -> None:
        """Pick options by id (used by the preview and by tests)."""
        for toggle in self.query(OptionToggle):
            if toggle.option.id in option_ids and not toggle.picked:
                toggle.toggle()


#: What a kept compare screen shows: some options side by side, or one option.
Shown = TypeVar("Shown")


class KeptShowingScreen(KioskScreen, Generic[Shown]):
    """A kept screen that shows one thing at a time (some options, one option), put on it by
    :meth:`showing` each time a visitor asks, and set back by :meth:`start_again`.

    Subclasses say what they show first (:meth:`first_shown`), whether it is drawn already
    (:meth:`drawn`), and draw it (:meth:`draw`).
    """

    #: What is on screen (None: nothing given yet, so :meth:`first_shown` when mounted).
    shown: Shown | None = None

    def first_shown(self) -> Shown:
        """What the screen shows when nothing else is asked for."""
        raise NotImplementedError

    def drawn(self) -> bool:
        """Whether :attr:`shown` has been drawn on the screen."""
        raise NotImplementedError

    def draw(self, shown: Shown) -> None:
        """Put ``shown`` on the screen."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self._show(self.shown if self.shown is not None else self.first_shown())

    def showing(self, shown: Shown) -> Self:
        """Show ``shown``; returns the screen to push."""
        if self.is_mounted:
            self._show(shown)
        else:
            self.shown = shown
        return self

    def start_again(self) -> None:
        """Back to what it shows first, so no visitor's pick stays on it."""
        self._show(self.first_shown())

    def _show(self, shown: Shown) -> None:
        if shown != self.shown or not self.drawn():
            self.shown = shown
            self.draw(shown)
        super().start_again()  # the scroll and the focus, drawn or not


class SideBySideScreen(KeptShowingScreen[tuple[Option, ...]]):
    """Two or three picked options, row by row.

    Kept (see :mod:`kiosk.app`): :meth:`showing` puts other options on it. Every option has its
    "pros and cons" button from the start; only the picked ones are shown.
    """

    AREA = "compare"

    def __init__(self, options: Sequence[Option] = ()) -> None:
        super().__init__()
        if options:
            self.shown = tuple(options)

    @property
    def options(self) -> tuple[Option, ...]:
        """The options on screen (before mounting, by default the first two)."""
        return self.shown if self.shown is not None else self.first_shown()

    def first_shown(self) -> tuple[Option, ...]:
        return tuple(self.content.compare.options[:2])

    def drawn(self) -> bool:
        return bool(self.query_one("#side-by-side-table", Static).content)

    def screen_title(self) -> str:
        return self.content.ui.compare_side_by_side_title

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="paged"):
            with VerticalScroll(classes="body"):
                # The buttons come first: focus starts on them, and focus must not scroll the
                # table's header row out of sight.
                # One column per option, each button as wide as its column: the labels never
                # run off the right edge, however many options were picked.
                with Grid(id="details-buttons"):
                    for option in self.content.compare.options:
                        yield KioskButton(
                            f"{option.short_name}\n{self.content.ui.compare_details_button}",
                            id=f"details-{option.id}",
                            classes="details-button",
                            tight=True,  # room for "Show pros and cons" in a third
                        )
                yield Static(legend(self.content.ui), classes="legend", markup=False)
                yield Static(id="side-by-side-table")
            yield self.page_buttons()

    def draw(self, shown: tuple[Option, ...]) -> None:
        """Show the picked options (2 or 3, in the content's order) and their buttons."""
        buttons = {f"details-{option.id}" for option in shown}
        self.query_one("#details-buttons", Grid).styles.grid_size_columns = len(shown)
        for button in self.query(".details-button").results(KioskButton):
            button.display = button.id in buttons
        self._update_table(self.size.width or self.app.size.width)

    def first_focus(self) -> KioskButton:
        return self.query_one(f"#details-{self.options[0].id}", KioskButton)

    def on_resize(self, event: events.Resize) -> None:
        self._update_table(event.size.width)

    def _update_table(self, screen_width: int) -> None:
        width = screen_width - BESIDE_TEXT
        table = fitting_comparison(self.content, self.options, width)
        self.query_one("#side-by-side-table", Static).update(table)

    def speech_text(self, private_audio: bool) -> str:
        return spoken_rows(self.content, self.options)

    def guide_place(self) -> Place:
        guide = self.content.ui.guide
        names = guide.side_by_side.format(
            names=", ".join(option.short_name for option in self.options)
        )
        return Place(self.content.ui.compare_side_by_side_title, (names,), guide.table_keys)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        for option in self.options:
            if event.button.id == f"details-{option.id}":
                event.stop()
                self.app.push_screen(option_screen(self.kiosk, option))


class OptionScreen(KeptShowingScreen[Option]):
    """One option: what it is, its values, and its pros and cons in two equal columns.

    Kept (see :mod:`kiosk.app`): :meth:`showing` puts another option on it.
    """

    AREA = "compare"

    def __init__(self, option: Option | None = None) -> None:
        super().__init__()
        self.shown = option

    @property
    def option(self) -> Option:
        """The option on screen (before mounting, by default the first one)."""
        return self.shown if self.shown is not None else self.first_shown()

    def first_shown(self) -> Option:
        return self.content.compare.options[0]

    def drawn(self) -> bool:
        return bool(self.query_one("#option-values", Static).content)

    def screen_title(self) -> str:
        return self.option.name

    def compose_body(self) -> ComposeResult:
        ui = self.content.ui
        with Horizontal(classes="paged"):
            with VerticalScroll(classes="body"):
                yield Static(markup=False, id="option-summary", classes="summary")
                # Pros and cons side by side, each 1fr wide: equal space, same detail.
                with Grid(id="pros-cons"):
                    yield Static(id="option-pros", classes="pros")
                    yield Static(id="option-cons", classes="cons")
                yield Static(legend(ui), classes="legend", markup=False)
                yield Static(id="option-values")
                # Where the facts above come from, and when they were last checked.
                yield Static(ui.sources_title, markup=False, classes="block-heading")
                yield Static(id="option-sources", classes="bullets")
                yield Static(self.reviewed_text(), markup=False, classes="note", id="reviewed")
            yield self.page_buttons()

    def reviewed_text(self) -> str:
        """ "Last checked against these sources on 2026-12-01 by …" """
        reviewed = self.content.sources.reviewed
        return self.content.ui.reviewed_note.format(date=reviewed.date, by=reviewed.by)

    def source_lines(self, option: Option) -> list[str]:
        """The sources this option's facts cite, as a visitor reads them (with where to find
        each one)."""
        lines = []
        for source_id in option.cited_sources():
            source = self.content.sources.source(source_id)
            lines.append(f"{source.title} ({source.url})" if source.url else source.title)
        return lines

    def draw(self, shown: Option) -> None:
        """Show one option's summary, pros and cons, values and sources."""
        option = shown
        ui = self.content.ui
        self.query_one("#screen-title", Static).update(option.name)
        self.query_one("#option-summary", Static).update(option.summary.text)
        self.query_one("#option-pros", Static).update(
            bullet_list([pro.text for pro in option.pros], "+", title=ui.compare_pros_title)
        )
        self.query_one("#option-cons", Static).update(
            bullet_list([con.text for con in option.cons], "−", title=ui.compare_cons_title)
        )
        self.query_one("#option-values", Static).update(comparison_table(self.content, [option]))
        self.query_one("#option-sources", Static).update(bullet_list(self.source_lines(option)))
        self.update_title_layout(self.size.width or self.app.size.width)

    def first_focus(self) -> KioskButton:
        return self.query_one("#nav-back", KioskButton)

    def guide_place(self) -> Place:
        option = self.option
        return Place(option.name, (option.summary.text,), self.content.ui.guide.table_keys)

    def speech_text(self, private_audio: bool) -> str:
        ui = self.content.ui
        option = self.option
        lines = [option.name, option.summary.text, ui.compare_pros_title]
        lines += [pro.text for pro in option.pros]
        lines += [ui.compare_cons_title, *(con.text for con in option.cons)]
        lines.append(spoken_rows(self.content, [option]))
        lines += [ui.sources_title, *self.source_lines(option), self.reviewed_text()]
        return "\n".join(lines)


def side_by_side_screen(kiosk: KioskServices, options: Sequence[Option]) -> SideBySideScreen:
    """The kept side-by-side screen, showing ``options``."""
    screen = kiosk.kept_screen("side-by-side")
    assert isinstance(screen, SideBySideScreen)
    return screen.showing(tuple(options))


def option_screen(kiosk: KioskServices, option: Option) -> OptionScreen:
    """The kept pros-and-cons screen, showing ``option``."""
    screen = kiosk.kept_screen("option")
    assert isinstance(screen, OptionScreen)
    return screen.showing(option)
