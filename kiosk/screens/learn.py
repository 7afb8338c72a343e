"""Learn: one tab per section of the article, each opening with its summary.

The tab row is a grid of big buttons rather than Textual's Tabs widget: Tabs scrolls sideways
when its labels do not fit, and a visitor using touch cannot scroll it, so some sections would
be out of reach at 80 columns. Here every tab is always on screen, at least 3 rows tall.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, ContentSwitcher, Static

from kiosk.content.model import BulletList, Section
from kiosk.rules.guide_phrases import Place
from kiosk.screens.base import KioskScreen
from kiosk.widgets.bullets import bullet_list
from kiosk.widgets.buttons import SnugButton


class SectionView(VerticalScroll):
    """The words of one section. Filled the first time its tab is shown, to keep start-up fast."""

    def __init__(self, section: Section) -> None:
        super().__init__(id=f"section-{section.id}", classes="section-view body column")
        self.section = section
        self.filled = False

    def fill(self) -> None:
        """Mount the section's widgets once."""
        if self.filled:
            return
        self.filled = True
        self.mount_all(self._widgets())

    def _widgets(self) -> list[Static]:
        widgets = [
            Static(self.section.title, markup=False, classes="section-title"),
            Static(self.section.summary, markup=False, classes="summary"),
        ]
        for block in self.section.blocks:
            if isinstance(block, BulletList):
                if block.heading:
                    widgets.append(Static(block.heading, markup=False, classes="block-heading"))
                widgets.append(Static(bullet_list(block.points), classes="bullets"))
            else:
                widgets.append(Static(block, markup=False, classes="paragraph"))
        return widgets


class SectionTab(SnugButton):
    """One tab of the tab grid.

    Space is tight (four tabs across 80 columns), so focus is marked with one arrow before the
    label plus the heavy border; the open tab has a double border and reversed colours, and the
    open section's title is repeated as the heading of the text below.
    """

    GUIDE_KIND = "tab"

    def __init__(self, section: Section) -> None:
        # Tight: four tabs across 80 columns need every column.
        super().__init__(section.title, id=f"tab-{section.id}", classes="section-tab", tight=True)
        self.section = section

    def set_open(self, is_open: bool) -> None:
        """Mark this tab as the open one (marker, class) or not."""
        self.set_class(is_open, "-open")


class LearnScreen(KioskScreen):
    """Tabs by tap, by Left/Right arrows, and by Tab then Enter."""

    AREA = "learn"

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so that the scrolling text does not swallow Left/Right.
        Binding("left", "step_section(-1)", "Previous section", show=False, priority=True),
        Binding("right", "step_section(1)", "Next section", show=False, priority=True),
    ]

    def screen_title(self) -> str:
        return self.content.ui.learn_title

    def compose_body(self) -> ComposeResult:
        sections = self.content.learn.sections
        # Kept by section id: finding them in the screen on every tab change (a query walks
        # every widget) was a third of the change's own work.
        self._tabs = {section.id: SectionTab(section) for section in sections}
        self._views = {section.id: SectionView(section) for section in sections}
        self._switcher = ContentSwitcher(initial=f"section-{sections[0].id}", id="sections")
        with Grid(id="section-tabs"):
            yield from self._tabs.values()
        with Horizontal(classes="paged"):
            with self._switcher:
                yield from self._views.values()
            yield self.page_buttons()

    def on_mount(self) -> None:
        self.show_section(self.content.learn.sections[0].id)
        self.take_first_focus()
        # The first tab shows at once; the others are filled after that first frame, so that
        # moving between tabs later needs no new widgets (no second frame after a tap).
        self.call_after_refresh(self._fill_all)

    def first_focus(self) -> SectionTab:
        return self._tabs[self.content.learn.sections[0].id]

    def start_again(self) -> None:
        """First tab open and focused, its text at the top."""
        self.show_section(self.content.learn.sections[0].id)
        super().start_again()

    def views_to_prepare(self) -> list[Callable[[], object]]:
        """Every tab: the first time a section shows, it needs two frames (its text's size is
        known only after the first); laid out ahead, one."""
        return [partial(self.show_section, section.id) for section in self.content.learn.sections]

    def _fill_all(self) -> None:
        for view in self._views.values():
            view.fill()

    def on_resize(self, event: events.Resize) -> None:
        # As many tab columns as fit at about 20 cells each: one row on a wide screen,
        # two rows at 80 columns, three on a 60-column portrait screen.
        count = len(self.content.learn.sections)
        columns = max(1, min(count, event.size.width // 20))
        rows = -(-count // columns)
        columns = -(-count // rows)  # balance the rows: 4 + 4 rather than 7 + 1
        self.query_one("#section-tabs", Grid).styles.grid_size_columns = columns

    def speech_text(self, private_audio: bool) -> str:
        return self._views[self.open_section_id].section.plain_text()

    def guide_place(self) -> Place:
        """The open tab and how to read it; focus is on that tab on arrival and after Left /
        Right, so the place says it."""
        sections = self.content.learn.sections
        ids = [section.id for section in sections]
        number = ids.index(self.open_section_id) + 1 if self.open_section_id in ids else 1
        guide = self.content.ui.guide
        tab = guide.learn_tab.format(
            number=number, total=len(sections), title=sections[number - 1].title
        )
        return Place(
            self.content.ui.learn_title,
            (tab,),
            guide.learn_keys,
            describes_focus=True,
            focus_label=sections[number - 1].title,  # the open tab has focus
        )

    @property
    def open_section_id(self) -> str:
        """The id of the section on screen."""
        current = self._switcher.current or ""
        return current.removeprefix("section-")

    def show_section(self, section_id: str) -> None:
        """Open the tab of ``section_id``."""
        view = self._views[section_id]
        view.fill()
        self._switcher.current = view.id
        view.scroll_home(animate=False)
        for tab in self._tabs.values():
            tab.set_open(tab.section.id == section_id)
        self.update_page_buttons()

    def action_step_section(self, step: int) -> None:
        """Open the previous (-1) or next (+1) section, wrapping around."""
        ids = [section.id for section in self.content.learn.sections]
        index = (ids.index(self.open_section_id) + step) % len(ids)
        self.show_section(ids[index])
        self._tabs[ids[index]].focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, SectionTab):
            event.stop()
            if event.button.section.id == self.open_section_id:
                self.post_message(self.ReadRequested())  # the audio guide reads it
            self.show_section(event.button.section.id)
