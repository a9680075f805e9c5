"""A small reader for the bytes of a DICOM sequence, used for SR content trees.

pydicom builds a full ``Dataset`` for every nested item, which costs ~5 ms for a small DXA SR;
the content tree needs a handful of elements per item. This reader turns a sequence's raw value
into plain ``{tag: value}`` dictionaries (nested sequences as lists of dictionaries, other
values as bytes), for explicit and implicit VR, little and big endian, defined and undefined
lengths. Malformed bytes raise ``MalformedSequence``.
"""

from __future__ import annotations

import struct

from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

Item = dict[int, "bytes | list[Item] | object"]

ITEM = 0xFFFEE000
ITEM_END = 0xFFFEE00D
SEQUENCE_END = 0xFFFEE0DD
UNDEFINED = 0xFFFFFFFF
_LONG_VRS = {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR",
             b"UT", b"UV"}
MAX_NESTING = 160  # sequences within items; a DXA SR nests ~12 deep


class MalformedSequence(Exception):
    pass


class _Reader:
    def __init__(self, buf: bytes, implicit: bool, little: bool, sq_tags: frozenset[int]):
        self.buf = buf
        self.implicit = implicit
        self.sq_tags = sq_tags
        endian = "<" if little else ">"
        self.tag_length = struct.Struct(endian + "HHL")  # implicit VR / item headers
        self.short = struct.Struct(endian + "HH2sH")  # explicit VR, 2-byte length
        self.long = struct.Struct(endian + "HH2s2xL")  # explicit VR, 4-byte length

    def sequence(self, pos: int, end: int, depth: int) -> tuple[list[Item], int]:
        """Items from ``pos`` to ``end`` (or to the sequence delimiter when undefined)."""
        if depth > MAX_NESTING:
            raise MalformedSequence("sequences nested too deeply")
        buf, items = self.buf, []
        while pos < end:
            if pos + 8 > end:
                raise MalformedSequence("truncated item header")
            group, element, length = self.tag_length.unpack_from(buf, pos)
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
        buf, item = self.buf, {}
        while pos < end:
            if pos + 8 > end:
                raise MalformedSequence("truncated element header")
            group, element, length = self.tag_length.unpack_from(buf, pos)
            tag = group << 16 | element
            if group == 0xFFFE:
                pos += 8
                if tag == ITEM_END:
                    return item, pos
                raise MalformedSequence("unexpected delimiter inside an item")
            if self.implicit:
                vr = b"SQ" if tag in self.sq_tags else b""
                pos += 8
            else:
                vr = buf[pos + 4:pos + 6]
                if vr in _LONG_VRS:
                    if pos + 12 > end:
                        raise MalformedSequence("truncated element header")
                    length = self.long.unpack_from(buf, pos)[3]
                    pos += 12
                else:
                    length = self.short.unpack_from(buf, pos)[3]
                    pos += 8
            if length == UNDEFINED:
                item[tag], pos = self.sequence(pos, end, depth + 1)
                if not delimited and pos > end:
                    raise MalformedSequence("sequence runs past its item")
                continue
            if pos + length > end:
                raise MalformedSequence("value longer than its item")
            if vr == b"SQ":
                item[tag], _ = self.sequence(pos, pos + length, depth + 1)
            else:
                item[tag] = (vr.decode("ascii", "replace"), buf[pos:pos + length])
            pos += length
        if delimited:
            raise MalformedSequence("item without its delimiter")
        return item, pos


def read_sequence(ds: Dataset, tag: int, sq_tags: frozenset[int]) -> list[Item]:
    """The items of ``ds``'s sequence ``tag`` as dictionaries; [] when absent.

    ``sq_tags`` names the sequences for implicit VR data, where the bytes do not say."""
    elem = ds.get_item(tag)
    if elem is None:
        return []
    if isinstance(elem, RawDataElement) and isinstance(elem.value, bytes):
        reader = _Reader(elem.value, elem.is_implicit_VR, elem.is_little_endian, sq_tags)
        return reader.sequence(0, len(elem.value), 0)[0]
    value = elem.value
    return [_from_dataset(item, sq_tags) for item in value] if isinstance(value, Sequence) else []


def _from_dataset(ds: Dataset, sq_tags: frozenset[int]) -> Item:
    """A sequence item pydicom has already parsed (undefined-length sequences are parsed at
    read time), in the same dictionary form."""
    item: Item = {}
    for elem in ds.elements():
        tag = int(elem.tag)
        if elem.VR == "SQ" or tag in sq_tags:
            item[tag] = read_sequence(ds, tag, sq_tags)
        else:
            item[tag] = (elem.VR or "", elem.value)
    return item
