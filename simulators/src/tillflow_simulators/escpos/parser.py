"""An incremental ESC/POS parser: bytes in, the printed ``Element``s out.

It acts on the commands a receipt uses (text styles, alignment, code tables, feeds, cuts,
drawer kicks, 1D barcodes, QR codes, bit images), reads past the settings that do not
change what the paper shows, records any other command in ``unknown``, and reports the
real-time status requests (``DLE EOT n``) for the printer to answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from tillflow_simulators.escpos import images, symbols
from tillflow_simulators.escpos.codepages import POWER_ON_TABLE, decode
from tillflow_simulators.escpos.lines import LineBuffer
from tillflow_simulators.escpos.model import (
    PLAIN,
    Align,
    Barcode,
    Cut,
    DrawerKick,
    Element,
    Feed,
    Image,
    QrCode,
    Style,
)
from tillflow_simulators.escpos.profiles import EPSON_80MM, PrinterProfile

ESC, GS, FS, DLE, LF, HT, NUL = 0x1B, 0x1D, 0x1C, 0x10, 0x0A, 0x09, 0x00
ALIGNS: dict[int, Align] = {0: "left", 1: "center", 2: "right"}
# Settings read past: command -> argument count. They tune the mechanism (line spacing,
# margins, sensors, peripherals, kanji) but not what this printer shows.
IGNORED = {
    b"\x1b ": 1, b"\x1b2": 0, b"\x1b3": 1, b"\x1bG": 1, b"\x1bR": 1, b"\x1bU": 1,
    b"\x1bV": 1, b"\x1b{": 1, b"\x1b=": 1, b"\x1bc": 2, b"\x1b%": 1, b"\x1bS": 0,
    b"\x1bL": 0, b"\x1b\x0c": 0, b"\x1db": 1, b"\x1dL": 2, b"\x1dW": 2, b"\x1da": 1,
    b"\x1dr": 1, b"\x1dP": 2, b"\x1dI": 1, b"\x1df": 1, b"\x1c.": 0, b"\x1c&": 0,
    b"\x1cp": 2, b"\x1cC": 1, b"\x1c!": 1, b"\x1c-": 1, b"\x10\x05": 1,
}
# DLE DC4 fn: argument count after fn (1 is the drawer pulse).
REALTIME_FUNCTIONS = {1: 2, 2: 2, 7: 3, 8: 7}
PULSE_UNIT_MS, REALTIME_PULSE_UNIT_MS = 2, 100
# GS V m: the modes followed by a feed amount n, and the partial ones.
CUTS_AFTER_FEED = {65, 66, 97, 98, 103, 104}
PARTIAL_CUTS = {1, 49, 66, 98, 104}


class _Incomplete(Exception):
    """The buffer ends inside a command; wait for more bytes."""


def _number(value: int) -> int:
    """Many arguments may be sent as 0-9 or as the ASCII digits '0'-'9'."""
    return value - 0x30 if 0x30 <= value <= 0x39 else value


@dataclass
class Modes:
    """What ``ESC @`` resets."""

    align: Align = "left"
    style: Style = PLAIN
    table: int = POWER_ON_TABLE
    barcode: symbols.BarcodeSettings = field(default_factory=symbols.BarcodeSettings)
    qr: symbols.QrSettings = field(default_factory=symbols.QrSettings)
    graphics: Image | None = None


class EscposParser:
    """Feed bytes with ``feed``; read ``elements``; answer the queries ``feed`` returns."""

    def __init__(self, profile: PrinterProfile = EPSON_80MM) -> None:
        self.profile = profile
        self.elements: list[Element] = []
        self.unknown: list[bytes] = []
        self.modes = Modes()
        self._line = LineBuffer(profile)
        self._image_in_line = False
        self._buffer = b""
        self._queries: list[int] = []
        self._fixed: dict[bytes, tuple[int, Callable[[bytes], None]]] = {
            b"\x1b!": (1, self._print_mode),
            b"\x1bE": (1, lambda a: self._style(bold=bool(a[0] & 1))),
            b"\x1b-": (1, lambda a: self._style(underline=min(_number(a[0]), 2))),
            b"\x1bM": (1, lambda a: self._style(font="B" if _number(a[0]) == 1 else "A")),
            b"\x1ba": (1, lambda a: self._set(align=ALIGNS.get(_number(a[0]), "left"))),
            b"\x1bt": (1, lambda a: self._set(table=a[0])),
            b"\x1bd": (1, lambda a: self._feed(a[0])),
            b"\x1bJ": (1, lambda _a: self._print_buffer()),
            b"\x1b@": (0, lambda _a: self._initialize()),
            b"\x1bp": (3, lambda a: self._kick(a[0], a[1] * PULSE_UNIT_MS, a[2] * PULSE_UNIT_MS)),
            b"\x1d!": (1, lambda a: self._style(width=(a[0] >> 4 & 7) + 1, height=(a[0] & 7) + 1)),
            b"\x1dB": (1, lambda a: self._style(invert=bool(a[0] & 1))),
            b"\x1dh": (1, lambda a: self._barcode_setting(height=a[0])),
            b"\x1dw": (1, lambda a: self._barcode_setting(module_width=a[0])),
            b"\x1dH": (1, lambda a: self._barcode_setting(
                hri=symbols.HRI_POSITIONS.get(_number(a[0]), "none"))),
            b"\x10\x04": (1, lambda a: self._queries.append(a[0])),
        }
        self._variable: dict[bytes, Callable[[int], int]] = {
            b"\x1dV": self._cut,
            b"\x1dk": self._barcode,
            b"\x1d(": self._extended,
            b"\x1dv": self._raster,
            b"\x1d8": self._large_extended,
            b"\x1b*": self._columns,
            b"\x10\x14": self._realtime,
        }

    def feed(self, data: bytes) -> list[int]:
        """Consume ``data``; return the ``DLE EOT n`` status numbers asked for, in order."""
        self._buffer += data
        position = 0
        while position < len(self._buffer):
            try:
                position = self._step(position)
            except _Incomplete:
                break
        self._buffer = self._buffer[position:]
        queries, self._queries = self._queries, []
        return queries

    def _step(self, pos: int) -> int:
        byte = self._buffer[pos]
        if byte == LF:
            self._line_feed()
            return pos + 1
        if byte in (ESC, GS, FS, DLE):
            return self._command(pos)
        if byte < 0x20 and byte != HT:
            return pos + 1
        return self._text(pos)

    def _text(self, pos: int) -> int:
        end = pos
        while end < len(self._buffer) and (self._buffer[end] >= 0x20 or self._buffer[end] == HT):
            end += 1
        text = decode(self._buffer[pos:end], table=self.modes.table, model=self.profile.model)
        self.elements += self._line.add(text, self.modes.style, self.modes.align)
        return end

    def _take(self, pos: int, count: int) -> bytes:
        if pos + count > len(self._buffer):
            raise _Incomplete
        return self._buffer[pos : pos + count]

    def _command(self, pos: int) -> int:
        command = self._take(pos, 2)
        if command in self._fixed:
            count, handler = self._fixed[command]
            handler(self._take(pos + 2, count))
            return pos + 2 + count
        if command in self._variable:
            return self._variable[command](pos + 2)
        if command in IGNORED:
            return pos + 2 + len(self._take(pos + 2, IGNORED[command]))
        self.unknown.append(command)
        return pos + 2

    # Lines and modes

    def _line_feed(self) -> None:
        # The feed that ends an ESC * stripe moves to the next stripe, not past a blank line.
        image_only, self._image_in_line = self._image_in_line and self._line.empty, False
        if not image_only:
            self.elements.append(self._line.take(self.modes.align))

    def _print_buffer(self) -> None:
        if not self._line.empty:
            self.elements.append(self._line.take(self.modes.align))

    def _feed(self, lines: int) -> None:
        """``ESC d n`` prints the buffer and moves n lines on: the printed line is one."""
        if not self._line.empty:
            self._print_buffer()
            lines -= 1
        if lines > 0:
            self.elements.append(Feed(lines))

    def _initialize(self) -> None:
        """``ESC @`` clears the print buffer unprinted and restores the power-on modes."""
        self._line.take(self.modes.align)
        self._image_in_line = False
        self.modes = Modes()

    def _set(self, **changes: Any) -> None:
        self.modes = replace(self.modes, **changes)

    def _style(self, **changes: Any) -> None:
        self._set(style=replace(self.modes.style, **changes))

    def _print_mode(self, arguments: bytes) -> None:
        n = arguments[0]
        self._style(
            font="B" if n & 0x01 else "A",
            bold=bool(n & 0x08),
            height=2 if n & 0x10 else 1,
            width=2 if n & 0x20 else 1,
            underline=1 if n & 0x80 else 0,
        )

    def _kick(self, pin: int, on_ms: int, off_ms: int) -> None:
        self.elements.append(
            DrawerKick(pin=5 if _number(pin) == 1 else 2, on_ms=on_ms, off_ms=off_ms)
        )

    def _realtime(self, pos: int) -> int:
        function = self._take(pos, 1)[0]
        arguments = self._take(pos + 1, REALTIME_FUNCTIONS.get(function, 0))
        if function == 1:
            pin, units = arguments
            pulse = units * REALTIME_PULSE_UNIT_MS
            self._kick(pin, pulse, pulse)
        return pos + 1 + len(arguments)

    def _cut(self, pos: int) -> int:
        mode = self._take(pos, 1)[0]
        end = pos + (2 if mode in CUTS_AFTER_FEED else 1)
        self._take(pos, end - pos)
        self._print_buffer()
        self.elements.append(Cut(partial=mode in PARTIAL_CUTS))
        return end

    # Symbols and images

    def _barcode_setting(self, **changes: Any) -> None:
        self._set(barcode=replace(self.modes.barcode, **changes))

    def _barcode(self, pos: int) -> int:
        kind = self._take(pos, 1)[0]
        if kind in symbols.FUNCTION_A:
            end = self._buffer.find(bytes((NUL,)), pos + 1)
            if end == -1:
                raise _Incomplete
            data, after = self._buffer[pos + 1 : end], end + 1
            symbology = symbols.FUNCTION_A[kind]
        else:
            length = self._take(pos + 1, 1)[0]
            data, after = self._take(pos + 2, length), pos + 2 + length
            symbology = symbols.FUNCTION_B.get(kind, f"type {kind}")
        settings = self.modes.barcode
        self._print_buffer()
        self.elements.append(Barcode(
            symbology=symbology,
            data=symbols.barcode_text(symbology, data),
            height=settings.height,
            module_width=settings.module_width,
            hri=settings.hri,
            align=self.modes.align,
        ))
        return after

    def _extended(self, pos: int) -> int:
        """``GS ( x pL pH ...``: QR codes (``GS ( k``), graphics (``GS ( L``); others skipped."""
        function, low, high = self._take(pos, 3)
        payload = self._take(pos + 3, low + high * 256)
        if function == ord("k") and payload[:1] == bytes((symbols.QR,)):
            self._qr(payload[1:])
        elif function == ord("L"):
            self._graphics(payload)
        return pos + 3 + len(payload)

    def _large_extended(self, pos: int) -> int:
        """``GS 8 L p1-p4 ...``: graphics too big for ``GS ( L``, with a 4-byte length."""
        function, *size = self._take(pos, 5)
        length = size[0] + (size[1] << 8) + (size[2] << 16) + (size[3] << 24)
        payload = self._take(pos + 5, length)
        if function == ord("L"):
            self._graphics(payload)
        return pos + 5 + length

    def _qr(self, command: bytes) -> None:
        if not command:
            return
        function, parameters, settings = command[0], command[1:], self.modes.qr
        if function == symbols.QR_SIZE and parameters:
            settings.module_size = parameters[0]
        elif function == symbols.QR_LEVEL and parameters:
            settings.level = symbols.QR_LEVELS.get(parameters[0], settings.level)
        elif function == symbols.QR_STORE:
            settings.data = parameters[1:]
        elif function == symbols.QR_PRINT:
            self._print_buffer()
            self.elements.append(QrCode(
                data=settings.data.decode("utf-8", errors="replace"),
                module_size=settings.module_size,
                level=settings.level,
                align=self.modes.align,
            ))

    def _graphics(self, payload: bytes) -> None:
        """Function 112 stores a raster graphic, function 50 prints it (``m fn ...``)."""
        function = _number(payload[1]) if len(payload) > 1 else None
        if function == 112 and len(payload) >= 10:
            header = payload[2:10]
            data = payload[10 : 10 + images.graphics_size(header)]
            self.modes.graphics = images.graphics(header, data)
        elif function == 2 and self.modes.graphics is not None:
            self._print_buffer()
            self.elements.append(replace(self.modes.graphics, align=self.modes.align))
            self.modes.graphics = None

    def _raster(self, pos: int) -> int:
        _zero, mode, xl, xh, yl, yh = self._take(pos, 6)
        width_bytes, height = xl + xh * 256, yl + yh * 256
        data = self._take(pos + 6, width_bytes * height)
        self._print_buffer()
        self.elements.append(images.raster(mode, width_bytes, height, data, self.modes.align))
        return pos + 6 + len(data)

    def _columns(self, pos: int) -> int:
        mode, low, high = self._take(pos, 3)
        width = low + high * 256
        depth = images.COLUMN_MODES.get(mode, (1, 1, 1))[0]
        data = self._take(pos + 3, width * depth)
        if mode in images.COLUMN_MODES:
            self._print_buffer()
            self.elements.append(images.columns(mode, width, data, self.modes.align))
            self._image_in_line = True
        return pos + 3 + len(data)
