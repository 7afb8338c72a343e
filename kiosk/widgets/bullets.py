"""Bulleted lists with a hanging indent, so a wrapped line starts under the text, not the dot."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text


def bullet_list(points: Sequence[str], symbol: str = "•", *, title: str = "") -> Table:
    """A two-column grid: the symbol, then the point's words (wrapped in their own column)."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(no_wrap=True, width=len(symbol))
    table.add_column(ratio=1)
    if title:
        table.title = title
        table.title_style = "bold"
        table.title_justify = "left"
    for point in points:
        table.add_row(Text(symbol), Text(point))
    return table
