"""The list of help lines shown on the help and result screens."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from kiosk.content.model import HelpText


class HelpLines(Static):
    """The clinic's line, then 988, 911 and the national helpline: numbers large and first."""

    DEFAULT_CSS = """
    HelpLines {
        height: auto;
        border: round $primary;
        padding: 0 1;
        margin: 1 0;
    }
    """

    def __init__(self, help_text: HelpText, *, id: str | None = None) -> None:
        super().__init__(self._table(help_text), id=id)

    @staticmethod
    def _table(help_text: HelpText) -> Table:
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(no_wrap=True, style="bold")
        table.add_column(ratio=1)
        lines = [(help_text.clinic_phone, help_text.clinic_name, help_text.clinic_detail)]
        lines += [(line.number, line.name, line.detail) for line in help_text.more_lines]
        for number, name, detail in lines:
            table.add_row(Text(number), Text.assemble((name, "bold"), " · ", detail))
        return table
