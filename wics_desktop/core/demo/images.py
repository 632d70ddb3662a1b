"""Tiny PNG pictures for a few demo materials, drawn with zlib alone (no Qt in core)."""
from __future__ import annotations

import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def carton_png(size: int, colour: tuple[int, int, int]) -> bytes:
    """A square picture of a closed carton: a coloured box with a darker tape line and border."""
    r, g, b = colour
    dark = (r // 2, g // 2, b // 2)
    background = (240, 240, 236)
    margin, tape = size // 8, max(2, size // 16)
    rows = []
    for y in range(size):
        row = bytearray(b"\x00")  # filter type 0 (none) for each scanline
        for x in range(size):
            inside = margin <= x < size - margin and margin <= y < size - margin
            edge = inside and (x in (margin, size - margin - 1) or y in (margin, size - margin - 1))
            on_tape = inside and abs(x - size // 2) < tape // 2 + 1
            pixel = background if not inside else dark if (edge or on_tape) else colour
            row += bytes(pixel)
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + _chunk(b"IEND", b""))
