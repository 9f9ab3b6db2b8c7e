"""Text of old Word files (.doc, Word 97 and later), in pure Python.

A .doc is an OLE2 compound file ([MS-CFB]) holding a WordDocument stream and a table stream.
The table stream's piece table ([MS-DOC] Clx → PlcPcd) says where each run of text lies in the
WordDocument stream, as 8-bit cp1252 or UTF-16. Every offset read from the file is bounds-checked
and every sector chain is guarded against loops: a broken or hostile file gives None, never a hang.
"""

from __future__ import annotations

import re
import struct

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LAST_SECTOR = 0xFFFFFFFA  # ids from here on are markers (end of chain, free, FAT sector …)
NO_ENTRY = 0xFFFFFFFF
MAX_STREAM = 64 * 1024 * 1024


class _Broken(Exception):
    pass


def _u16(buf: bytes, at: int) -> int:
    if at < 0 or at + 2 > len(buf):
        raise _Broken
    return struct.unpack_from("<H", buf, at)[0]


def _u32(buf: bytes, at: int) -> int:
    if at < 0 or at + 4 > len(buf):
        raise _Broken
    return struct.unpack_from("<I", buf, at)[0]


class _Compound:
    """Read-only access to the streams at the top of an OLE2 compound file."""

    def __init__(self, data: bytes):
        if not data.startswith(MAGIC) or len(data) < 512:
            raise _Broken
        self.data = data
        self.shift = _u16(data, 0x1E)
        self.mini_shift = _u16(data, 0x20)
        if self.shift not in (9, 12) or self.mini_shift != 6:
            raise _Broken
        self.size = 1 << self.shift
        self.max_sectors = len(data) // self.size + 1
        self.fat = self._fat()
        entries = self._chain_bytes(_u32(data, 0x30), self.fat, self.size)
        self.entries = [entries[i : i + 128] for i in range(0, len(entries) - 127, 128)]
        if not self.entries:
            raise _Broken
        root = self.entries[0]
        self.mini_cutoff = _u32(data, 0x38)
        self.mini_fat = self._ints(self._chain_bytes(_u32(data, 0x3C), self.fat, self.size))
        self.mini_stream = self._chain_bytes(_u32(root, 0x74), self.fat, self.size)

    def _sector(self, n: int) -> bytes:
        start = (n + 1) << self.shift
        if n >= LAST_SECTOR or start >= len(self.data):  # a short last sector is allowed
            raise _Broken
        return self.data[start : start + self.size]

    @staticmethod
    def _ints(buf: bytes) -> list[int]:
        return list(struct.unpack_from(f"<{len(buf) // 4}I", buf)) if buf else []

    def _fat(self) -> list[int]:
        # The first 109 FAT sector ids are in the header, the rest in a chain of DIFAT sectors.
        ids = [i for i in self._ints(self.data[0x4C:0x200]) if i < LAST_SECTOR]
        difat, seen = _u32(self.data, 0x44), set()
        while difat < LAST_SECTOR:
            if difat in seen or len(seen) > self.max_sectors:
                raise _Broken
            seen.add(difat)
            values = self._ints(self._sector(difat))
            ids += [i for i in values[:-1] if i < LAST_SECTOR]
            difat = values[-1]
        if len(ids) > self.max_sectors:
            raise _Broken
        return self._ints(b"".join(self._sector(i) for i in ids))

    def _chain_bytes(self, start: int, fat: list[int], size: int, source: bytes | None = None) -> bytes:
        """The sectors of a chain joined (from the file, or from the mini stream when `source`)."""
        out, seen, n = [], set(), start
        while n < LAST_SECTOR:
            if n in seen or n >= len(fat) or len(seen) * size > MAX_STREAM:
                raise _Broken
            seen.add(n)
            if source is None:
                out.append(self._sector(n))
            else:
                out.append(source[n * size : (n + 1) * size])
            n = fat[n]
        return b"".join(out)

    def _top_level(self):
        """Entries directly under the root storage (a tree of siblings; embedded objects sit deeper)."""
        stack, seen = [_u32(self.entries[0], 0x4C)], set()
        while stack:
            i = stack.pop()
            if i == NO_ENTRY or i in seen or i >= len(self.entries):
                continue
            seen.add(i)
            entry = self.entries[i]
            stack += [_u32(entry, 0x44), _u32(entry, 0x48)]
            yield entry

    def stream(self, name: str) -> bytes | None:
        for entry in self._top_level():
            length = min(_u16(entry, 0x40), 64)
            if entry[0x42] != 2 or entry[: max(0, length - 2)].decode("utf-16-le", "replace") != name:
                continue
            size = _u32(entry, 0x78)
            if size > MAX_STREAM:
                raise _Broken
            if size < self.mini_cutoff:
                data = self._chain_bytes(_u32(entry, 0x74), self.mini_fat, 64, self.mini_stream)
            else:
                data = self._chain_bytes(_u32(entry, 0x74), self.fat, self.size)
            if len(data) < size:
                raise _Broken
            return data[:size]
        return None


def _pieces(table: bytes, fc_clx: int, lcb_clx: int):
    """(cp_start, cp_end, file offset, compressed) for each piece of the piece table."""
    clx = table[fc_clx : fc_clx + lcb_clx]
    if len(clx) != lcb_clx:
        raise _Broken
    at = 0
    while at < len(clx) and clx[at] == 0x01:  # Prc: property modifiers, skipped
        size = struct.unpack_from("<h", clx, at + 1)[0]
        if size < 0:
            raise _Broken
        at += 3 + size
    if at >= len(clx) or clx[at] != 0x02:
        raise _Broken
    lcb = _u32(clx, at + 1)
    plc = clx[at + 5 : at + 5 + lcb]
    if len(plc) != lcb or lcb < 16 or (lcb - 4) % 12:
        raise _Broken
    n = (lcb - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc)
    for i in range(n):
        fc = _u32(plc, 4 * (n + 1) + 8 * i + 2)
        compressed = bool(fc & 0x40000000)
        fc &= 0x3FFFFFFF
        yield cps[i], cps[i + 1], (fc // 2 if compressed else fc), compressed


def _clean(text: str) -> str:
    """Word's special characters as plain text: paragraphs and breaks become new lines, table cells
    tabs (rows lines), and of each field ("\\x13 code \\x14 result \\x15") only the result is kept."""
    out, depth_code = [], []
    # A row ends with its last cell's mark and the row's own: two or more marks end a line.
    text = re.sub("\x07{2,}", "\n", text)
    for ch in text:
        if ch == "\x13":
            depth_code.append(True)
        elif ch == "\x14":
            if depth_code:
                depth_code[-1] = False
        elif ch == "\x15":
            if depth_code:
                depth_code.pop()
        elif depth_code and depth_code[-1]:
            continue
        elif ch in "\r\x0b\x0c\x0e":
            out.append("\n")
        elif ch == "\x07":
            out.append("\t")
        elif ch == "\x1e":
            out.append("-")
        elif ch >= " " or ch in "\t\n":
            out.append(ch)
    lines = "\n".join(line.rstrip("\t ") for line in "".join(out).split("\n"))
    return re.sub("\n{3,}", "\n\n", lines).strip()


def doc_text(data: bytes) -> str | None:
    """The main text of a Word 97+ .doc, or None (not a .doc, encrypted, older Word, broken)."""
    try:
        ole = _Compound(data)
        word = ole.stream("WordDocument")
        if word is None or _u16(word, 0) != 0xA5EC:
            return None
        flags = _u16(word, 0x0A)
        if flags & 0x0100 or _u16(word, 2) < 101:  # encrypted, or Word 95 and older
            return None
        table = ole.stream("1Table" if flags & 0x0200 else "0Table")
        if table is None:
            return None
        csw = _u16(word, 32)
        lw = 34 + csw * 2
        cslw = _u16(word, lw)
        ccp_text = _u32(word, lw + 2 + 3 * 4)  # FibRgLw97.ccpText: the main document's length
        fclcb = lw + 2 + cslw * 4 + 2
        fc_clx, lcb_clx = _u32(word, fclcb + 33 * 8), _u32(word, fclcb + 33 * 8 + 4)
        parts = []
        for cp_start, cp_end, fc, compressed in _pieces(table, fc_clx, lcb_clx):
            if cp_start >= ccp_text:
                break
            count = min(cp_end, ccp_text) - cp_start
            if count <= 0:
                continue
            raw = word[fc : fc + count * (1 if compressed else 2)]
            parts.append(raw.decode("cp1252", "replace") if compressed else raw.decode("utf-16-le", "replace"))
    except (_Broken, struct.error, IndexError):
        return None
    return _clean("".join(parts)) or None
