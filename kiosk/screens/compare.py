"""Compare: every option against the same rows; pick two or three, or open one.

Everything here is a plain button (one tap, or Tab + Enter): Textual's DataTable needs a second
tap to select a cell that is not highlighted, which fails visitors using touch.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, Static

from kiosk.content import CompareText, Mark, Option, UiText
from kiosk.screens.base import KioskScreen
from kiosk.widgets import KioskButton
from kiosk.widgets.bullets import bullet_list

#: Symbols that go with the words of a value: state is never shown by colour alone.
MARK_SYMBOLS: dict[Mark, str] = {"yes": "✔", "no": "✘", "partly": "◐", "info": "•"}
#: How many options fit side by side.
MAX_PICKED = 3


def value_text(option: Option, row_id: str) -> Text:
    """One cell: the mark's symbol, then the words."""
    value = option.values[row_id]
    return Text(f"{MARK_SYMBOLS[value.mark]} {value.text}")


def comparison_table(compare: CompareText, options: Sequence[Option]) -> Table:
    """Rows down the side, the given options across the top."""
    table = Table(
        box=box.SIMPLE_HEAD,
        show_lines=True,
        expand=True,
        padding=(0, 1),
        pad_edge=False,
        header_style="bold",
    )
    table.add_column("", style="bold", ratio=3, min_width=12)
    for option in options:
        table.add_column(option.short_name, ratio=3, min_width=12)
    for row in compare.rows:
        table.add_row(Text(row.label), *(value_text(option, row.id) for option in options))
    return table


#: Narrowest column that keeps words whole ("Outpatient", "Sometimes").
MIN_COLUMN_WIDTH = 15
#: Room for the row labels.
LABEL_WIDTH = 18


def comparison_tables(compare: CompareText, options: Sequence[Option], width: int) -> Group:
    """All ``options`` in as few tables as fit ``width`` cells with whole words in every cell.

    At 160 columns that is one table of seven options; at 80 columns, one of four and one of
    three; on a 60-column portrait screen, tables of two.
    """
    per_table = max(1, (width - LABEL_WIDTH) // MIN_COLUMN_WIDTH)
    chunks = [options[start : start + per_table] for start in range(0, len(options), per_table)]
    return Group(*(comparison_table(compare, chunk) for chunk in chunks))


class OptionToggle(KioskButton):
    """A button that picks or un-picks one option, and says which in words."""

    def __init__(self, option: Option, ui: UiText) -> None:
        super().__init__(option.short_name, id=f"pick-{option.id}", classes="option-toggle")
        self.option = option
        self.ui = ui
        self.picked = False
        self._update()

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
        with VerticalScroll(classes="body", id="compare-body"):
            yield Static(ui.compare_intro, markup=False, classes="intro")
            yield Static(ui.compare_pick_hint, markup=False, id="compare-status", classes="status")
            with Grid(id="option-picker"):
                for option in compare.options:
                    yield OptionToggle(option, ui)
            with Horizontal(classes="button-row", id="compare-actions"):
                yield KioskButton(ui.compare_side_by_side_button, id="side-by-side")
                yield KioskButton(ui.compare_details_button, id="details")
                yield KioskButton(ui.compare_clear_button, id="clear")
            yield Static(self._legend(), id="compare-legend", markup=False)
            yield Static(ui.compare_more_below, id="compare-more", classes="note", markup=False)
            yield Static(id="compare-grid")

    def on_mount(self) -> None:
        self.query_one(OptionToggle).focus()

    def _legend(self) -> str:
        ui = self.content.ui
        words = {"yes": ui.legend_yes, "partly": ui.legend_partly, "no": ui.legend_no}
        words["info"] = ui.legend_info
        return "   ".join(f"{MARK_SYMBOLS[mark]} {word}" for mark, word in words.items())

    def on_resize(self, event: events.Resize) -> None:
        # The grid's layout depends on the width: rebuild it when the terminal changes size.
        width = event.size.width - 4  # the body's padding and scrollbar
        compare = self.content.compare
        grid = comparison_tables(compare, compare.options, width)
        self.query_one("#compare-grid", Static).update(grid)
        # When the options are split over several tables, say so above the first one.
        self.query_one("#compare-more").display = len(grid.renderables) > 1

    @property
    def picked(self) -> list[Option]:
        """The picked options, in the content's order."""
        return [toggle.option for toggle in self.query(OptionToggle) if toggle.picked]

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button
        ui = self.content.ui
        status = self.query_one("#compare-status", Static)
        if isinstance(button, OptionToggle):
            if not button.picked and len(self.picked) >= MAX_PICKED:
                status.update(ui.compare_pick_hint)
                return
            button.toggle()
            status.update(self._status_text())
        elif button.id == "clear":
            for toggle in self.query(OptionToggle):
                toggle.unpick()
            status.update(ui.compare_pick_hint)
        elif button.id == "side-by-side":
            if 2 <= len(self.picked) <= MAX_PICKED:
                self.app.push_screen(SideBySideScreen(self.picked))
            else:
                status.update(ui.compare_need_more)
        elif button.id == "details":
            picked = self.picked
            if len(picked) >= 1:
                self.app.push_screen(OptionScreen(picked[0]))
            else:
                status.update(ui.compare_pick_hint)

    def _status_text(self) -> str:
        names = ", ".join(option.short_name for option in self.picked)
        return f"{self.content.ui.compare_selected}: {names}" if names else ""

    def pick(self, *option_ids: str) -> None:
        """Pick options by id (used by the preview and by tests)."""
        for toggle in self.query(OptionToggle):
            if toggle.option.id in option_ids and not toggle.picked:
                toggle.toggle()


class SideBySideScreen(KioskScreen):
    """Two or three picked options, row by row."""

    AREA = "compare"

    def __init__(self, options: Sequence[Option]) -> None:
        super().__init__()
        self.options = tuple(options)

    def screen_title(self) -> str:
        return self.content.ui.compare_side_by_side_title

    def compose_body(self) -> ComposeResult:
        compare = self.content.compare
        with VerticalScroll(classes="body"):
            # The buttons come first: focus starts on them, and focus must not scroll the
            # table's header row out of sight.
            with Horizontal(classes="button-row"):
                for option in self.options:
                    yield KioskButton(
                        f"{option.short_name}: {self.content.ui.compare_details_button}",
                        id=f"details-{option.id}",
                    )
            yield Static(comparison_table(compare, self.options), id="side-by-side-table")

    def on_mount(self) -> None:
        self.query_one(f"#details-{self.options[0].id}").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        for option in self.options:
            if event.button.id == f"details-{option.id}":
                event.stop()
                self.app.push_screen(OptionScreen(option))


class OptionScreen(KioskScreen):
    """One option: what it is, its values, and its pros and cons in two equal columns."""

    AREA = "compare"

    def __init__(self, option: Option) -> None:
        super().__init__()
        self.option = option

    def screen_title(self) -> str:
        return self.option.name

    def compose_body(self) -> ComposeResult:
        ui = self.content.ui
        option = self.option
        with VerticalScroll(classes="body"):
            yield Static(option.summary, markup=False, classes="summary")
            # Pros and cons side by side, each 1fr wide: equal space, same detail.
            with Grid(id="pros-cons"):
                yield Static(
                    bullet_list(option.pros, "+", title=ui.compare_pros_title), classes="pros"
                )
                yield Static(
                    bullet_list(option.cons, "−", title=ui.compare_cons_title), classes="cons"
                )
            yield Static(comparison_table(self.content.compare, [option]), id="option-values")

    def on_mount(self) -> None:
        self.query_one("#nav-back").focus()
