"""A small reader for the bytes of a DICOM sequence, used for SR content trees.

pydicom builds a full ``Dataset`` for every nested item, which costs ~5 ms for a small DXA SR;
the content tree needs a handful of elements per item. This reader turns a sequence's raw value
into plain ``{tag: value}`` dictionaries (nested sequences as lists of dictionaries, binary
numbers as numbers, other values as bytes), for explicit and implicit VR, little and big
endian, defined and undefined lengths. Malformed bytes raise ``MalformedSequence``.
"""

from __future__ import annotations

import struct

from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from parsers.dicom.values import Malformed, element

Item = dict[int, "bytes | float | list[Item] | object"]

ITEM = 0xFFFEE000
ITEM_END = 0xFFFEE00D
SEQUENCE_END = 0xFFFEE0DD
UNDEFINED = 0xFFFFFFFF
_LONG_VRS = {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR",
             b"UT", b"UV"}
MAX_NESTING = 160  # sequences within items; a DXA SR nests ~12 deep


class MalformedSequence(Malformed):
    """The bytes of a sequence are not well-formed."""


_BINARY = {b"FL": "f", b"FD": "d", b"SL": "l", b"SS": "h", b"UL": "L", b"US": "H"}


class _Reader:
    """Item values are kept as bytes (binary numbers unpacked), nested sequences as lists."""

    def __init__(self, buf: bytes, implicit: bool, little: bool, sq_tags: frozenset[int],
                 wanted: frozenset[int] | None):
        self.buf = buf
        self.implicit = implicit
        self.little = little
        self.sq_tags = sq_tags
        self.wanted = wanted
        self.endian = "<" if little else ">"
        # one unpack reads tag + 4 bytes: the length (implicit VR, items), or VR + 2-byte length
        self.head = struct.Struct(self.endian + "HHL").unpack_from
        self.long_length = struct.Struct(self.endian + "L").unpack_from

    def sequence(self, pos: int, end: int, depth: int) -> tuple[list[Item], int]:
        """Items from ``pos`` to ``end`` (or to the sequence delimiter when undefined)."""
        if depth > MAX_NESTING:
            raise MalformedSequence("sequences nested too deeply")
        buf, head, items = self.buf, self.head, []
        while pos < end:
            if pos + 8 > end:
                raise MalformedSequence("truncated item header")
            group, element, length = head(buf, pos)
            tag = group << 16 | element
            pos += 8
            if tag == SEQUENCE_END:
                return items, pos
            if tag != ITEM:
                raise MalformedSequence(f"expected an item, found ({group:04X},{element:04X})")
            if length == UNDEFINED:
                item, pos = self.dataset(pos, end, depth, delimited=True)
            else:
                if pos + length > end:
                    raise MalformedSequence("item longer than its sequence")
                item, _ = self.dataset(pos, pos + length, depth, delimited=False)
                pos += length
            items.append(item)
        return items, pos

    def dataset(self, pos: int, end: int, depth: int, delimited: bool) -> tuple[Item, int]:
        buf, head, wanted, implicit, little = self.buf, self.head, self.wanted, self.implicit, \
            self.little
        item: Item = {}
        while pos < end:
            if pos + 8 > end:
                raise MalformedSequence("truncated element header")
            group, element, length = head(buf, pos)
            tag = group << 16 | element
            if group == 0xFFFE:
                if tag == ITEM_END:
                    return item, pos + 8
                raise MalformedSequence("unexpected delimiter inside an item")
            if implicit:
                vr = b"SQ" if tag in self.sq_tags else b""
                pos += 8
            else:
                vr = buf[pos + 4:pos + 6]
                if vr in _LONG_VRS:
                    if pos + 12 > end:
                        raise MalformedSequence("truncated element header")
                    length = self.long_length(buf, pos + 8)[0]
                    pos += 12
                else:
                    length = length >> 16 if little else length & 0xFFFF
                    pos += 8
            if length == UNDEFINED:
                item[tag], pos = self.sequence(pos, end, depth + 1)
                if not delimited and pos > end:
                    raise MalformedSequence("sequence runs past its item")
                continue
            stop = pos + length
            if stop > end:
                raise MalformedSequence("value longer than its item")
            if wanted is None or tag in wanted:
                if vr == b"SQ":
                    item[tag] = self.sequence(pos, stop, depth + 1)[0]
                elif vr in _BINARY and length >= struct.calcsize(_BINARY[vr]):
                    item[tag] = struct.unpack_from(self.endian + _BINARY[vr], buf, pos)[0]
                else:
                    item[tag] = buf[pos:stop]
            pos = stop
        if delimited:
            raise MalformedSequence("item without its delimiter")
        return item, pos


def read_sequence(ds: Dataset, tag: int, sq_tags: frozenset[int],
                  wanted: frozenset[int] | None = None) -> list[Item]:
    """The items of ``ds``'s sequence ``tag`` as dictionaries; [] when absent.

    ``sq_tags`` names the sequences for implicit VR data, where the bytes do not say;
    ``wanted``, when given, limits the elements kept (others are skipped, not parsed)."""
    elem = element(ds, tag)
    if elem is None:
        return []
    if isinstance(elem, RawDataElement) and isinstance(elem.value, bytes):
        reader = _Reader(elem.value, elem.is_implicit_VR, elem.is_little_endian, sq_tags, wanted)
        return reader.sequence(0, len(elem.value), 0)[0]
    value = elem.value
    return [_from_dataset(item, sq_tags) for item in value] if isinstance(value, Sequence) else []


def _from_dataset(ds: Dataset, sq_tags: frozenset[int]) -> Item:
    """A sequence item pydicom has already parsed (undefined-length sequences are parsed at
    read time), in the same dictionary form."""
    item: Item = {}
    for tag in ds.keys():  # noqa: SIM118 (iterating a Dataset would convert every element)
        elem = element(ds, tag)
        if elem is None:
            continue
        if elem.VR == "SQ" or tag in sq_tags:
            item[tag] = read_sequence(ds, tag, sq_tags)
        else:
            item[tag] = elem.value
    return item
