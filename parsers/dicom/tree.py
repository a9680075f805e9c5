"""An SR content tree read into plain nodes, iteratively and by tag.

Every SR flavour (Basic Text, Enhanced, Comprehensive, Comprehensive 3D) stores its content the
same way: a root CONTAINER whose ``ContentSequence`` nests items, each with a value type, a
relationship to its parent, a coded concept name and a value. This module turns that into
``Node`` objects once, so that the mapping never touches pydicom again. Values the report does
not need (person names, image references, spatial coordinates) are not read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydicom.dataset import Dataset

from parsers.dicom.rawseq import Item, read_sequence
from parsers.dicom.values import Malformed, decode, number, text

MAX_DEPTH = 64  # DXA trees are 4-6 levels deep; far deeper nesting is a malformed file

CONTENT_SEQUENCE = 0x0040A730
VALUE_TYPE = 0x0040A040
RELATIONSHIP_TYPE = 0x0040A010
CONCEPT_NAME = 0x0040A043
CONCEPT_CODE = 0x0040A168
CODE_VALUE = 0x00080100
SCHEME = 0x00080102
CODE_MEANING = 0x00080104
LONG_CODE_VALUE = 0x00080119
URN_CODE_VALUE = 0x00080120
TEXT_VALUE = 0x0040A160
DATE_VALUE = 0x0040A121
DATETIME_VALUE = 0x0040A120
MEASURED_VALUES = 0x0040A300
NUMERIC_VALUE = 0x0040A30A
FLOAT_VALUE = 0x0040A161
UNITS = 0x004008EA


class TreeTooDeep(Malformed):
    """The content tree nests deeper than ``MAX_DEPTH``."""


@dataclass(frozen=True, slots=True)
class Code:
    scheme: str
    value: str
    meaning: str


NO_CODE = Code("", "", "")


@dataclass(slots=True)
class Node:
    value_type: str
    relationship: str
    concept: Code
    text: str | None = None  # TEXT, DATE, DATETIME value; a CODE value's meaning
    code: Code = NO_CODE  # a CODE item's value
    number: float | None = None
    units: str | None = None  # UCUM code value (or the unit's meaning when it has none)
    children: list[Node] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.concept.meaning


SEQUENCE_TAGS = frozenset({CONTENT_SEQUENCE, CONCEPT_NAME, CONCEPT_CODE, MEASURED_VALUES,
                           UNITS, 0x0040A301, 0x00081199, 0x0040A504, 0x0040A370, 0x0040A375})
WANTED = frozenset({CONTENT_SEQUENCE, CONCEPT_NAME, CONCEPT_CODE, MEASURED_VALUES, UNITS,
                    VALUE_TYPE, RELATIONSHIP_TYPE, CODE_VALUE, SCHEME, CODE_MEANING,
                    LONG_CODE_VALUE, URN_CODE_VALUE, TEXT_VALUE, DATE_VALUE, DATETIME_VALUE,
                    NUMERIC_VALUE, FLOAT_VALUE})


def _text(item: Item, tag: int) -> str | None:
    found = item.get(tag)
    if type(found) is bytes:  # inlined fast path of values.decode: this runs ~400 times per SR
        try:
            decoded = found.decode("utf-8")
        except UnicodeDecodeError:
            decoded = found.decode("latin-1")
        return decoded.strip(" \x00\t\r\n") or None
    return None if found is None or type(found) is list else decode(None, found)


def _first(item: Item, tag: int) -> Item | None:
    found = item.get(tag)
    return found[0] if isinstance(found, list) and found else None


def _code(item: Item | None) -> Code:
    if item is None:
        return NO_CODE
    value = _text(item, CODE_VALUE) or _text(item, LONG_CODE_VALUE) or \
        _text(item, URN_CODE_VALUE) or ""
    return Code(_text(item, SCHEME) or "", value, _text(item, CODE_MEANING) or "")


def _node(item: Item) -> Node:
    value_type = (_text(item, VALUE_TYPE) or "").upper()
    node = Node(value_type, (_text(item, RELATIONSHIP_TYPE) or "").upper(),
                _code(_first(item, CONCEPT_NAME)))
    if value_type == "TEXT":
        node.text = _text(item, TEXT_VALUE)
    elif value_type == "NUM":
        measured = _first(item, MEASURED_VALUES)
        if measured is not None:
            node.number = number(_text(measured, NUMERIC_VALUE))
            if node.number is None:
                node.number = number(_text(measured, FLOAT_VALUE))
            unit = _code(_first(measured, UNITS))
            node.units = unit.value or unit.meaning or None
    elif value_type == "CODE":
        node.code = _code(_first(item, CONCEPT_CODE))
        node.text = node.code.meaning or None
    elif value_type == "DATE":
        node.text = _text(item, DATE_VALUE)
    elif value_type == "DATETIME":
        node.text = _text(item, DATETIME_VALUE)
    return node


def read_tree(ds: Dataset) -> Node:
    """The document's root node with all its descendants, in document order.

    Raises:
        TreeTooDeep: nesting beyond ``MAX_DEPTH``.
        MalformedSequence: the nested bytes are not well-formed.
    """
    top: Item = {tag: read_sequence(ds, tag, SEQUENCE_TAGS, WANTED) for tag in (CONCEPT_NAME,
                                                                          CONTENT_SEQUENCE)}
    top[VALUE_TYPE] = ("CS", text(ds, VALUE_TYPE))
    root = _node(top)
    stack: list[tuple[Item, Node, int]] = [(top, root, 0)]
    while stack:
        item, node, depth = stack.pop()
        children = item.get(CONTENT_SEQUENCE)
        if not isinstance(children, list) or not children:
            continue
        if depth >= MAX_DEPTH:
            raise TreeTooDeep(f"the SR content tree nests deeper than {MAX_DEPTH} levels")
        for child_item in children:
            child = _node(child_item)
            node.children.append(child)
            stack.append((child_item, child, depth + 1))
    return root
