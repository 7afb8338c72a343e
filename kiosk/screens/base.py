"""What every visitor screen shares: a title line, the body, the keys line and the help bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Protocol, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.css.query import NoMatches
from textual.errors import NoWidget
from textual.geometry import Region
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from kiosk.config import Settings
from kiosk.content.model import Content, ContentLibrary
from kiosk.rules.guide_phrases import Place
from kiosk.widgets import HelpBar, KeysHint, KioskButton, PageButton


class KioskServices(Protocol):
    """What a visitor screen may ask of the app it runs in, and nothing more.

    Data comes down through these (the content, the language, whether there is speech); what a
    visitor did goes up as actions (``app.home``, ``app.read_aloud``) and messages. The kiosk app
    is the one implementation (``kiosk/app.py`` checks it against this for mypy); a screen never
    imports the app module, so a screen can be read, and tested, on its own.
    """

    @property
    def language(self) -> str:
        """The visitor's language now."""
        ...

    @property
    def library(self) -> ContentLibrary:
        """The content in every language."""
        ...

    @property
    def settings(self) -> Settings:
        """The settings from ``kiosk.toml``."""
        ...

    @property
    def has_speech(self) -> bool:
        """Whether Read aloud can speak (kiosk.toml enables it and espeak-ng is there)."""
        ...

    @property
    def theme(self) -> str:
        """The colour theme's name."""
        ...

    @property
    def is_web(self) -> bool:
        """Whether the kiosk runs in a browser page (``kiosk serve``), whose font it can change."""
        ...

    @property
    def larger_text(self) -> bool:
        """Whether the visitor chose Larger text (browser kiosk only)."""
        ...

    def say(self, text: str) -> None:
        """Speak ``text`` now in the visitor's language (nothing without speech)."""

    def announce(self, text: str) -> None:
        """A screen's own announcement to a visitor who asked for read-aloud (the next
        question): said unless the audio guide is on, which says it its own way."""

    def note_activity(self) -> None:
        """A visitor did something: the idle timer starts again."""

    def kept_screen(self, name: str, language: str | None = None) -> KioskScreen:
        """The kept screen ``name``, built ahead, in ``language`` (default: the visitor's)."""
        ...


#: Below this many columns the nav bar puts its title on a line of its own.
NARROW_WIDTH = 76
#: From this many columns a screen is "wide" (class ``-wide``): its reading column is centred
#: (a 1920x1080 lobby screen: 147 columns with the deployment guide's font).
WIDE_WIDTH = 110
#: From this many rows a screen is "tall" (class ``-tall``): headings get a rule and space,
#: buttons grow, the welcome's choices share the height (100x29 landscape is not; 147x40 and
#: 80x66 portrait are).
TALL_HEIGHT = 30
#: From this many rows a screen is a portrait one (class ``-portrait``, 1080x1920: 66 rows).
PORTRAIT_HEIGHT = 50
#: Below this many rows a screen is "short" (class ``-short``): the browser's Larger text on a
#: 15.6-inch screen gives 66 x 17 cells. The keys line and the narrow title line give their
#: rows to the text.
SHORT_HEIGHT = 22


def set_usable(button: KioskButton, usable: bool) -> None:
    """Show and enable ``button``, or hide and disable it while keeping its place (so that no
    other button moves: visitors find a button where they found it before)."""
    button.disabled = not usable
    button.styles.visibility = "visible" if usable else "hidden"


def nearest_control(here: Region, direction: str, places: dict[Widget, Region]) -> Widget | None:
    """The control nearest to ``here`` in ``direction`` ("up", "down", "left", "right"):
    for left and right, one beside it (sharing a row); for up and down, one wholly above or
    below. Nearest first along the way, then the least sideways."""
    best: tuple[int, int] | None = None
    found: Widget | None = None
    centre_x = here.x + here.width // 2
    centre_y = here.y + here.height // 2
    for widget, region in places.items():
        overlaps_row = region.y < here.bottom and region.bottom > here.y
        if direction == "right" and overlaps_row and region.x >= here.right:
            score = (region.x - here.right, abs(region.y + region.height // 2 - centre_y))
        elif direction == "left" and overlaps_row and region.right <= here.x:
            score = (here.x - region.right, abs(region.y + region.height // 2 - centre_y))
        elif direction == "down" and region.y >= here.bottom:
            score = (region.y - here.bottom, abs(region.x + region.width // 2 - centre_x))
        elif direction == "up" and region.bottom <= here.y:
            score = (here.y - region.bottom, abs(region.x + region.width // 2 - centre_x))
        else:
            continue
        if best is None or score < best:
            best, found = score, widget
    return found


class KioskScreen(Screen[None], inherit_bindings=False):
    """Base of every visitor screen.

    Subclasses implement :meth:`compose_body` and :meth:`screen_title`; the help bar is added
    here so that no screen can forget it. ``inherit_bindings=False`` drops Textual's ctrl+c
    "copy selected text" binding; only focus movement is kept.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous", show=False),
        # The arrows move to the nearest control that way on screen (see action_move).
        Binding("down", "move('down')", "Down", show=False),
        Binding("up", "move('up')", "Up", show=False),
        Binding("right", "move('right')", "Right", show=False),
        Binding("left", "move('left')", "Left", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
    ]

    class ReadRequested(Message):
        """The visitor asked for the text on screen (Enter on an open Learn tab): the audio
        guide, if it is on, reads it."""

    #: Which main area this screen belongs to ("learn", "compare", "selfcheck", "help" or "").
    AREA: ClassVar[str] = ""
    #: The top bar with the title and big Back / Home / Help buttons, for visitors using touch.
    SHOW_NAV_BAR: ClassVar[bool] = True

    @property
    def kiosk(self) -> KioskServices:
        """What this screen may ask of the kiosk it runs in."""
        return cast(KioskServices, self.app)

    #: Whether the visitor asked for read-aloud on this screen (and has not stopped it): a
    #: screen that changes under them (the next question) then says what changed.
    reading_aloud: bool = False
    #: Set by :attr:`language` (None: not asked yet).
    _language: str | None = None
    #: Found once by :meth:`text_areas` and :meth:`_page_buttons` (empty: not looked for yet).
    _text_areas: tuple[ScrollableContainer, ...] = ()
    _page_button_widgets: tuple[PageButton, ...] = ()

    @property
    def language(self) -> str:
        """The language this screen shows: unless set when it is made, the visitor's language
        at the time (kept screens are made ahead for every language)."""
        if self._language is None:
            self._language = self.kiosk.language
        return self._language

    @language.setter
    def language(self, language: str) -> None:
        self._language = language

    @property
    def content(self) -> Content:
        """The content in this screen's language."""
        return self.kiosk.library.get(self.language)

    def screen_title(self) -> str:
        """The line shown at the top of the screen."""
        return ""

    def compose(self) -> ComposeResult:
        with Vertical(id="bottom-bars"):
            yield KeysHint(*self.keys_hint(), id="keys-hint")
            yield HelpBar(self.content.help.bar_text, markup=False, id="help-bar")
        if self.SHOW_NAV_BAR:
            with Horizontal(id="nav-bar"):
                yield Static(self.screen_title(), markup=False, id="screen-title")
                with Horizontal(id="nav-buttons"):
                    yield from self._nav_buttons()
        yield from self.compose_body()

    def keys_hint(self) -> tuple[str, str]:
        """The keys line: the kiosk's keys, and where it has speech, R and the guide's key."""
        ui = self.content.ui
        return ui.keys_hint, ui.guide.keys_hint if self.kiosk.has_speech else ""

    def guide_place(self) -> Place:
        """Where the visitor is, for the audio guide (:mod:`kiosk.rules.guide_phrases`): by
        default the title, and the key that reads the whole screen."""
        return Place(self.screen_title(), keys=self.content.ui.guide.table_keys)

    def _nav_buttons(self) -> ComposeResult:
        ui = self.content.ui
        yield KioskButton(ui.back_button, id="nav-back", action="app.back")
        yield KioskButton(ui.home_button, id="nav-home", action="app.home")
        help_button = KioskButton(ui.help_button, id="nav-help", action="app.open_area('help')")
        if self.AREA == "help":
            # Kept, unseen and unusable, so that Back, Home and Hide are where they are on
            # every other screen.
            set_usable(help_button, False)
        yield help_button
        yield KioskButton(ui.hide_button, id="nav-hide", action="app.hide")

    def on_resize(self, event: events.Resize) -> None:
        self.update_size_classes(event.size.width, event.size.height)
        self.update_title_layout(event.size.width)
        self.call_after_refresh(self.update_page_buttons)
        # The control in use stays on screen when the screen changes size: after Larger text
        # (fewer, larger cells) the button just tapped would otherwise scroll out of sight.
        self.call_after_refresh(self._keep_focus_in_view)

    def _keep_focus_in_view(self) -> None:
        focused = self.focused
        if focused is not None and not isinstance(focused, ScrollableContainer):
            focused.scroll_visible(animate=False)

    def update_size_classes(self, width: int, height: int) -> None:
        """``-wide``, ``-tall`` and ``-portrait`` for the lobby's large screens (kiosk.tcss)."""
        self.set_class(width >= WIDE_WIDTH, "-wide")
        self.set_class(height >= TALL_HEIGHT, "-tall")
        self.set_class(height >= PORTRAIT_HEIGHT, "-portrait")
        self.set_class(height < SHORT_HEIGHT, "-short")

    def update_title_layout(self, width: int) -> None:
        """On a narrow (portrait) screen, or where the title would have to break inside a word,
        the title gets a line of its own above the buttons."""
        narrow = width < NARROW_WIDTH or not self._title_fits(width)
        self.set_class(narrow, "-narrow")
        # Narrow, each button has a quarter of the width: every column for the words.
        for button in self.query("#nav-buttons KioskButton").results(KioskButton):
            button.styles.line_pad = 0 if narrow else 1

    def _title_fits(self, width: int) -> bool:
        """Whether the title fits beside the nav buttons in its 3 rows, words unbroken."""
        title = self.screen_title()
        if not self.SHOW_NAV_BAR or not title:
            return True
        # Each button: label, arrows (4), padding (2), border (2), gap (1); at least 12 wide.
        buttons = sum(
            max(12, len(str(button.plain_label)) + 8) + 1
            for button in self.query("#nav-buttons KioskButton").results(KioskButton)
        )
        room = width - buttons - 3  # the bar's padding and the title's own
        longest_word = max(len(word) for word in title.split())
        return room >= longest_word and -(-len(title) // max(room, 1)) <= 3

    def on_mount(self) -> None:
        # Whenever a text area's content or size changes, ▲ / ▼ may be needed or not.
        for container in self.text_areas():
            self.watch(container, "virtual_size", self._page_size_changed, init=False)
            self.watch(container, "size", self._page_size_changed, init=False)
            self.watch(container, "scroll_y", self._page_size_changed, init=False)
        self.call_after_refresh(self.update_page_buttons)

    def _page_size_changed(self) -> None:
        self.update_page_buttons()

    def update_page_buttons(self) -> None:
        """Show ▲ / ▼ only when the text on screen is longer than the screen, and each one
        as a button only where it can move the text (▲ not at the top, ▼ not at the foot).

        The buttons keep their place when hidden, so nothing moves when they appear.
        """
        target = self.page_target()
        scrollable = target is not None and self._scrolls(target)
        at_top = at_foot = False
        if target is not None and scrollable:
            at_top = target.scroll_y <= 0
            room = target.size.height - target.gutter.height
            at_foot = room > 0 and target.scroll_y >= target.virtual_size.height - room
        if not self._page_button_widgets:
            self._page_button_widgets = tuple(self.query(PageButton))
        for button in self._page_button_widgets:
            # show() changes nothing (no repaint) when nothing changed.
            button.show(scrollable, at_end=at_top if button.id == "page-up" else at_foot)

    @staticmethod
    def _scrolls(container: ScrollableContainer) -> bool:
        """Whether ``container``'s text is taller than the room it has on screen.

        Not ``max_scroll_y``: during a layout Textual sets a container's size, then its virtual
        size (running the watchers that call this), and its container size only after that.
        Size and virtual size are both current here, so the answer is right within the frame.
        A view that was hidden until now (a tab, a self-check step) has no size yet, while its
        virtual size is still known from when it was last shown; it will fill its parent, so
        the parent's height is the room it gets.
        """
        height = container.size.height
        if not height and isinstance(container.parent, Widget):
            height = container.parent.size.height
        room = height - container.gutter.height
        return container.virtual_size.height > room > 0

    def page_buttons(self) -> Vertical:
        """Big ▲ / ▼ buttons to page through long text, placed beside it by each screen.

        A finger cannot hit a one-cell scrollbar, and nothing may depend on a mouse wheel or a
        swipe. The Read aloud button joins them when the kiosk has speech.
        """
        buttons: list[KioskButton] = [
            PageButton("▲", id="page-up", action="screen.page(-1)"),
            PageButton("▼", id="page-down", action="screen.page(1)"),
        ]
        if self.kiosk.has_speech:
            buttons.append(
                KioskButton(
                    self.content.ui.read_aloud_button,
                    id="read-aloud",
                    classes="read-aloud",
                    action="app.read_aloud",
                    tight=True,  # two short lines in a narrow column
                )
            )
        return Vertical(*buttons, id="page-buttons")

    def text_areas(self) -> tuple[ScrollableContainer, ...]:
        """The screen's scrolling text areas (containers with class ``body``).

        Found once: every screen composes its text areas with itself. Looking for them in the
        whole screen on every key took a third of a Learn tab's own work (about 1.5 ms).
        """
        if not self._text_areas:
            self._text_areas = tuple(self.query(ScrollableContainer).filter(".body"))
        return self._text_areas

    def page_target(self) -> ScrollableContainer | None:
        """The scrolling text on screen now: the first shown container with class ``body``."""
        for container in self.text_areas():
            if all(node.display for node in container.ancestors_with_self if node is not self):
                return container
        return None

    def action_move(self, direction: str) -> None:
        """An arrow key: focus the nearest control on screen in that direction.

        Down on the answer row used to move sideways (Down was "next"), and Right did nothing
        on the welcome screen or the answers. Now Right and Left move along a row, Up and Down
        between rows. Where the screen has nothing that way: in a column of single buttons
        (the welcome's choices) Right and Left mean next and previous, and Up and Down go on
        to the next (previous) control when it is out of sight, scrolled past the fold.
        """
        current = self.focused
        if current is None or isinstance(current, ScrollableContainer):
            # Nothing focused, or a text area (whose own arrow keys scroll it).
            self.focus_next() if direction in ("down", "right") else self.focus_previous()
            return
        places = self._control_places()
        here = places.get(current)
        if here is None:
            return
        target = nearest_control(
            here, direction, {w: r for w, r in places.items() if w is not current}
        )
        if target is not None:
            target.focus()
            return
        forward = direction in ("down", "right")
        if direction in ("left", "right"):
            alone = not any(
                region.y < here.bottom and region.bottom > here.y
                for widget, region in places.items()
                if widget is not current
            )
            if alone:
                self.focus_next() if forward else self.focus_previous()
            return
        chain = self.focus_chain
        if current in chain:
            step = 1 if forward else -1
            following = chain[(chain.index(current) + step) % len(chain)]
            if following not in places and not isinstance(following, ScrollableContainer):
                following.focus()  # out of sight: focusing it scrolls it into view

    def _control_places(self) -> dict[Widget, Region]:
        """Every control that can take focus and is on screen now, and where it is."""
        places: dict[Widget, Region] = {}
        for widget in self.focus_chain:
            if isinstance(widget, ScrollableContainer):
                continue  # text areas: reached with Tab
            try:
                region = self.find_widget(widget).region
            except NoWidget:
                continue  # scrolled out of sight
            if region.area:
                places[widget] = region
        return places

    def action_page(self, direction: int) -> None:
        """Scroll the text on screen by one page (the ▲ / ▼ buttons, Page Up / Page Down)."""
        target = self.page_target()
        if target is not None:
            if direction < 0:
                target.scroll_page_up(animate=False)
            else:
                target.scroll_page_down(animate=False)

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets."""
        yield from ()

    def on_screen_resume(self) -> None:
        # A kept screen shown again (see kiosk.app). Textual only repaints it, and that repaint
        # can draw just the parts that changed since this screen was last on show, leaving
        # pieces of the previous screen visible for a frame. A layout draws it all, in one.
        self.refresh(layout=True)

    def on_mouse_down(self) -> None:
        # Taps count as activity for the idle timer (pilot clicks never reach App.on_event).
        self.kiosk.note_activity()

    def speech_text(self, private_audio: bool) -> str:
        """What Read aloud says on this screen.

        ``private_audio`` is True only where the kiosk has headphones: screens that show a
        visitor's answers must not speak them otherwise.
        """
        return self.screen_title()

    def start_again(self) -> None:
        """Look as a new screen of this kind does: text scrolled to the top, focus on the first
        control. Kept screens (see :mod:`kiosk.app`) are set back this way on every entry and
        every reset; subclasses add their own state."""
        self.reading_aloud = False
        for container in self.text_areas():
            container.scroll_home(animate=False, immediate=True)
        self.set_focus(self.first_focus(), scroll_visible=False)

    def take_first_focus(self) -> None:
        """Focus :meth:`first_focus` (on mount). A screen removed while it was still being
        built (a visitor who opened and left the self-check within a few milliseconds) has no
        widgets left to focus: nothing to do then."""
        try:
            first = self.first_focus()
        except NoMatches:
            return
        if first is not None:
            first.focus()

    def first_focus(self) -> Widget | None:
        """The control a keyboard user starts on, on a new screen and after start_again."""
        chain = self.focus_chain
        return chain[0] if chain else None

    def views_to_prepare(self) -> list[Callable[[], object]]:
        """For a screen built off screen ahead of time: calls that show each of its views, so
        that each is laid out once before a visitor first asks for it (see kiosk.app)."""
        return []

    def go_back(self) -> bool:
        """Handle Escape / Back inside the screen; return False to let the app pop it."""
        return False
