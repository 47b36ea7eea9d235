"""The print buffer of one line: characters collect until a line feed, or until the next
one would not fit the print width and the printer prints the line and starts another."""

from __future__ import annotations

from tillflow_simulators.escpos.model import Align, Line, Run, Style
from tillflow_simulators.escpos.profiles import PrinterProfile

TAB_COLUMNS = 8


class LineBuffer:
    def __init__(self, profile: PrinterProfile) -> None:
        self.profile = profile
        self._runs: list[Run] = []
        self._align: Align | None = None
        self._used = 0
        self._columns = 0

    @property
    def empty(self) -> bool:
        return self._align is None

    def add(self, text: str, style: Style, align: Align) -> list[Line]:
        """Put ``text`` in the buffer; return the lines it filled."""
        printed: list[Line] = []
        for char in text:
            if char == "\t":
                spaces = TAB_COLUMNS - self._columns % TAB_COLUMNS
                printed += self.add(" " * spaces, style, align)
                continue
            width = self.profile.cell_width(style.font) * style.width
            if self._used + width > self.profile.dots and not self.empty:
                printed.append(self.take(align))
            self._put(char, style, align, width)
        return printed

    def take(self, align: Align) -> Line:
        """The buffer as a printed line (``align`` if nothing set it); the buffer empties.

        Alignment belongs to the line from its first character on, as ``ESC a`` does.
        """
        line = Line(runs=tuple(self._runs), align=self._align or align)
        self._runs, self._align, self._used, self._columns = [], None, 0, 0
        return line

    def _put(self, char: str, style: Style, align: Align, width: int) -> None:
        if self._align is None:
            self._align = align
        if self._runs and self._runs[-1].style == style:
            self._runs[-1] = Run(self._runs[-1].text + char, style)
        else:
            self._runs.append(Run(char, style))
        self._used += width
        self._columns += style.width
