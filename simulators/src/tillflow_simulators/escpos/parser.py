"""An incremental ESC/POS parser: bytes in, ``ReceiptDocument`` blocks out.

It understands what tillflow's encoder and common POS software send (text styles,
alignment, code pages, feeds, cuts, drawer kicks, 1D barcodes, QR codes), skips image
payloads by their declared length so the stream stays in step, and reports real-time
status requests (``DLE EOT n``) for the printer to answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from tillflow.devices.document import (
    PLAIN,
    Align,
    Barcode,
    Block,
    Cut,
    DrawerKick,
    ErrorCorrection,
    Feed,
    HriPosition,
    QrCode,
    Span,
    TextLine,
    TextStyle,
)
from tillflow_simulators.escpos.codepages import FALLBACK, codec_for

ESC, GS, DLE, FS, LF, NUL = 0x1B, 0x1D, 0x10, 0x1C, 0x0A, 0x00
_ALIGN: dict[int, Align] = {0: "left", 1: "center", 2: "right"}
_HRI: dict[int, HriPosition] = {0: "off", 1: "above", 2: "below", 3: "both"}
_QR_LEVEL: dict[int, ErrorCorrection] = {0: "L", 1: "M", 2: "Q", 3: "H"}
_BARCODE_A = {0: "UPC-A", 1: "UPC-E", 2: "EAN13", 3: "EAN8", 4: "CODE39", 5: "ITF", 6: "NW7"}
_BARCODE_B = {65 + k: v for k, v in _BARCODE_A.items()} | {72: "CODE93", 73: "CODE128"}
_BARCODE_B |= {74: "GS1-128", 75: "GS1 DataBar", 76: "GS1 DataBar", 77: "GS1 DataBar"}
_BARCODE_B |= {78: "GS1 DataBar Expanded"}
# Commands whose arguments we read past without acting on them: byte -> argument count.
_ESC_IGNORED = {0x20: 1, 0x33: 1, 0x32: 0, 0x47: 1, 0x4A: 1, 0x7B: 1, 0x56: 1, 0x3D: 1}
_ESC_IGNORED |= {0x63: 2, 0x52: 1, 0x55: 1, 0x3F: 1, 0x25: 1, 0x53: 0, 0x4C: 0, 0x0C: 0}
_GS_IGNORED = {0x62: 1, 0x4C: 2, 0x57: 2, 0x61: 1, 0x72: 1, 0x50: 2, 0x49: 1}
_FS_IGNORED = {0x2E: 0, 0x26: 0, 0x70: 2}


class _IncompleteError(Exception):
    """The buffer ends inside a command; wait for more bytes."""


def _digit(value: int) -> int:
    """Arguments may be sent as 0-9 or as the ASCII digits '0'-'9'."""
    return value - 0x30 if 0x30 <= value <= 0x39 else value


@dataclass
class _State:
    align: Align = "left"
    style: TextStyle = PLAIN
    codec: str = FALLBACK
    barcode_height: int = 162
    barcode_width: int = 3
    hri: HriPosition = "off"
    qr_size: int = 3
    qr_level: ErrorCorrection = "L"
    qr_data: bytes = b""


@dataclass
class EscposParser:
    """Feed bytes with ``feed``; read ``blocks``; answer what ``feed`` returns.

    ``escpos_profile`` names the python-escpos profile whose code page numbering to use.
    """

    escpos_profile: str = "default"
    blocks: list[Block] = field(default_factory=list)
    unknown: list[bytes] = field(default_factory=list)
    state: _State = field(default_factory=_State)
    _spans: list[Span] = field(default_factory=list)
    _line_align: Align | None = None
    _buffer: bytes = b""

    def feed(self, data: bytes) -> list[int]:
        """Consume ``data``; return the ``DLE EOT n`` status numbers asked for, in order."""
        self._buffer += data
        queries: list[int] = []
        position = 0
        while position < len(self._buffer):
            try:
                position = self._step(position, queries)
            except _IncompleteError:
                break
        self._buffer = self._buffer[position:]
        return queries

    def _step(self, pos: int, queries: list[int]) -> int:
        byte = self._buffer[pos]
        if byte == LF:
            self._end_line()
            return pos + 1
        if byte in (ESC, GS, FS):
            return self._command(pos)
        if byte == DLE:
            return self._realtime(pos, queries)
        if byte < 0x20 and byte != 0x09:
            return pos + 1
        return self._text(pos)

    def _text(self, pos: int) -> int:
        end = pos
        while end < len(self._buffer) and (self._buffer[end] >= 0x20 or self._buffer[end] == 9):
            end += 1
        text = self._buffer[pos:end].decode(self.state.codec, errors="replace")
        if self._line_align is None:
            self._line_align = self.state.align
        last = self._spans[-1] if self._spans else None
        if last is not None and last.style == self.state.style:
            self._spans[-1] = Span(last.text + text, last.style)
        else:
            self._spans.append(Span(text, self.state.style))
        return end

    def _end_line(self) -> None:
        align = self._line_align or self.state.align
        self.blocks.append(TextLine(spans=tuple(self._spans), align=align))
        self._spans, self._line_align = [], None

    def _flush(self) -> None:
        if self._spans:
            self._end_line()

    def _args(self, pos: int, count: int) -> bytes:
        if pos + count > len(self._buffer):
            raise _IncompleteError
        return self._buffer[pos : pos + count]

    def _command(self, pos: int) -> int:
        prefix, code = self._args(pos, 2)
        handlers = {ESC: self._esc, GS: self._gs, FS: self._fs}
        return handlers[prefix](code, pos + 2)

    def _skip(self, table: dict[int, int], prefix: int, code: int, pos: int) -> int:
        if code in table:
            return pos + len(self._args(pos, table[code]))
        self.unknown.append(bytes((prefix, code)))
        return pos

    def _realtime(self, pos: int, queries: list[int]) -> int:
        code = self._args(pos, 2)[1]
        if code == 0x04:
            queries.append(self._args(pos + 2, 1)[0])
            return pos + 3
        if code == 0x14:
            _fn, pin, pulse = self._args(pos + 2, 3)
            self._kick(pin, pulse * 100, pulse * 100)
            return pos + 5
        return pos + 1

    def _kick(self, pin: int, on_ms: int, off_ms: int) -> None:
        self.blocks.append(DrawerKick(pin=5 if _digit(pin) == 1 else 2, on_ms=on_ms, off_ms=off_ms))

    def _set_style(self, **changes: object) -> None:
        self.state.style = replace(self.state.style, **changes)  # type: ignore[arg-type]

    def _esc(self, code: int, pos: int) -> int:
        one: dict[int, Callable[[int], None]] = {
            0x45: lambda n: self._set_style(bold=bool(n & 1)),
            0x2D: lambda n: self._set_style(underline=_digit(n)),
            0x4D: lambda n: self._set_style(font="b" if _digit(n) == 1 else "a"),
            0x61: lambda n: setattr(self.state, "align", _ALIGN.get(_digit(n), "left")),
            0x74: lambda n: setattr(self.state, "codec", codec_for(n, self.escpos_profile)),
            0x21: self._print_mode,
            0x64: self._feed,
        }
        if code in one:
            one[code](self._args(pos, 1)[0])
            return pos + 1
        if code == 0x40:
            self._flush()
            self.state = _State()
            return pos
        if code == 0x70:
            pin, on, off = self._args(pos, 3)
            self._kick(pin, on * 2, off * 2)
            return pos + 3
        if code == 0x2A:
            mode, low, high = self._args(pos, 3)
            width = low + high * 256
            mode_bytes = 3 if mode in (32, 33) else 1
            return pos + 3 + len(self._args(pos + 3, width * mode_bytes))
        return self._skip(_ESC_IGNORED, ESC, code, pos)

    def _print_mode(self, n: int) -> None:
        self._set_style(
            bold=bool(n & 0x08),
            height=2 if n & 0x10 else 1,
            width=2 if n & 0x20 else 1,
            underline=1 if n & 0x80 else 0,
            font="b" if n & 0x01 else "a",
        )

    def _feed(self, lines: int) -> None:
        self._flush()
        self.blocks.append(Feed(lines))

    def _gs(self, code: int, pos: int) -> int:
        one: dict[int, Callable[[int], None]] = {
            0x21: lambda n: self._set_style(width=(n >> 4) + 1, height=(n & 0x0F) + 1),
            0x42: lambda n: self._set_style(invert=bool(n & 1)),
            0x68: lambda n: setattr(self.state, "barcode_height", n),
            0x77: lambda n: setattr(self.state, "barcode_width", n),
            0x48: lambda n: setattr(self.state, "hri", _HRI.get(_digit(n), "off")),
            0x66: lambda n: None,
        }
        if code in one:
            one[code](self._args(pos, 1)[0])
            return pos + 1
        if code == 0x56:
            return self._cut(pos)
        if code == 0x6B:
            return self._barcode(pos)
        if code == 0x28:
            return self._extended(pos)
        if code == 0x76:
            _zero, _mode, xl, xh, yl, yh = self._args(pos, 6)
            size = (xl + xh * 256) * (yl + yh * 256)
            return pos + 6 + len(self._args(pos + 6, size))
        return self._skip(_GS_IGNORED, GS, code, pos)

    def _cut(self, pos: int) -> int:
        mode = self._args(pos, 1)[0]
        feeds_first = mode in (65, 66)
        end = pos + 2 if feeds_first else pos + 1
        self._args(pos, end - pos)
        self._flush()
        if self.blocks and isinstance(self.blocks[-1], Feed):
            self.blocks.pop()
        self.blocks.append(Cut(partial=mode in (1, 49, 66)))
        return end

    def _barcode(self, pos: int) -> int:
        kind = self._args(pos, 1)[0]
        if kind in _BARCODE_A:
            end = self._buffer.find(bytes((NUL,)), pos + 1)
            if end == -1:
                raise _IncompleteError
            data, after = self._buffer[pos + 1 : end], end + 1
        else:
            length = self._args(pos + 1, 1)[0]
            data = self._args(pos + 2, length)
            after = pos + 2 + length
        symbology = _BARCODE_A.get(kind) or _BARCODE_B.get(kind, f"type {kind}")
        text = data.decode("latin-1")
        if symbology == "CODE128" and text[:2] in ("{A", "{B"):
            text = text[2:]
        self._flush()
        state = self.state
        self.blocks.append(
            Barcode(
                data=text,
                symbology=symbology,
                height=state.barcode_height,
                width=state.barcode_width,
                hri=state.hri,
                align=state.align,
            )
        )
        return after

    def _extended(self, pos: int) -> int:
        """``GS ( x pL pH payload``: QR codes (``GS ( k`` with cn 49); others skipped."""
        function, low, high = self._args(pos, 3)
        payload = self._args(pos + 3, low + high * 256)
        if function == 0x6B and len(payload) >= 2 and payload[0] == 0x31:
            self._qr(payload[1], payload[2:])
        return pos + 3 + len(payload)

    def _qr(self, fn: int, params: bytes) -> None:
        state = self.state
        if fn == 0x43 and params:
            state.qr_size = params[0]
        elif fn == 0x45 and params:
            state.qr_level = _QR_LEVEL.get(_digit(params[0]), "L")
        elif fn == 0x50:
            state.qr_data = params[1:]
        elif fn == 0x51:
            self._flush()
            data = state.qr_data.decode("utf-8", errors="replace")
            qr = QrCode(data=data, size=state.qr_size, error_correction=state.qr_level)
            self.blocks.append(replace(qr, align=state.align))

    def _fs(self, code: int, pos: int) -> int:
        return self._skip(_FS_IGNORED, FS, code, pos)
