"""Column header cells of one header line, found by what the words mean, not by their spacing.

Printouts space header words anyhow: ``T  -  score`` with wide gaps inside one header, ``BMD
T-score`` with columns close together, and headers that run over each other when a long
right-aligned header starts left of the column before it ends (``BMD (g/cm²)`` under
``Change vs Previous (g/cm²)``). So a header line is cut into cells by meaning:

1. *Strands*: words overlapping the word before them belong to another header text printed
   over this one; each word continues the strand after whose end it sits, one not closed by
   a unit (a unit ends a header) and with the gap most like the line's word space first,
   else it starts a strand of its own.
2. Each strand is cut into the cells that name most columns (``role_of``: BMD, T, Z, YA %,
   AM %, BMC, area, region, date, age, change; the vocabulary of ``parsers.labels``): a
   qualifier (``YA``, ``Young Ref.``) joins the head word it qualifies and a unit in brackets
   (``(g/cm²)``) the header before it, because alone they name nothing. Among cuts that name
   as many columns, wide gaps are preferred as cell borders: a gap inside a cell costs one
   name per two line heights, so words far apart stay apart unless together they name a
   column and alone they do not.
3. Neighbouring cells of the same role with a small gap are one header (``Measured`` ``Date``).

A header printed on two lines over columns close together (``T-`` over ``Score``, ``Young``
over ``Ref. (%)``) is first made one word by ``stacked``: the lower halves alone
(``Score Ref. (%) Score``) name no column and would be read as one cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from parsers.kit.memo import Memo
from parsers.pdf.layout import Line, Word, split_box

Cell = tuple[float, float, float, str]  # x0, x1, top, text
_MAX_WORDS = 6  # the longest header cell, in words
_GAP_WEIGHT = 2.0  # a gap of this many line heights inside a cell costs as much as a name
_UNIT_START_COST = 0.5  # a cell that starts with a bracketed unit names something before it
_SAME_ROLE_GAP = 2.0  # line heights
_DECIMAL_RE = re.compile(r"\d[.,]\d")
_GLUED_RE = re.compile(r"(?<=[a-z]{2})(?=[A-Z])|(?<=\))(?=[A-Za-z])")


def _strands(words: list[Word], height: float) -> list[list[Word]]:
    words = sorted(words, key=lambda w: w.x0)
    spaces = sorted(b.x0 - a.x1 for a, b in zip(words, words[1:], strict=False)
                    if 0.1 * height < b.x0 - a.x1 < 2 * height)
    space = spaces[len(spaces) // 2] if spaces else 0.3 * height  # this line's word space
    strands: list[list[Word]] = []
    touch = 0.1 * height
    for word in words:
        after = [strand for strand in strands if word.x0 - strand[-1].x1 > touch]
        if len(after) == 1:  # the common case: one strand, the word after its end
            after[0].append(word)
        elif after:  # a strand not closed by a unit, whose gap looks most like a word space
            min(after, key=lambda strand: (_is_unit(strand[-1:]),
                                           abs(word.x0 - strand[-1].x1 - space))).append(word)
        else:
            strands.append([word])
    return strands


def _cut(words: list[Word], height: float, kind: Callable[[str], str]) -> list[list[Word]]:
    """The cut of a strand into cells with the best score (see the module docstring)."""
    count = len(words)
    unit = _GAP_WEIGHT * max(height, 1.0)
    border = 3 * unit  # a gap inside a cell that costs more than any split of it
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("-inf"), 0)] * count
    texts = [w.text for w in words]
    values = [_DECIMAL_RE.search(text) is not None for text in texts]
    gap_after = [max(0.0, b.x0 - a.x1) for a, b in zip(words, words[1:], strict=False)]
    for end in range(1, count + 1):
        text, gaps, has_value, units = "", 0.0, False, 0
        best_end = best[end]
        for start in range(end - 1, max(-1, end - 1 - _MAX_WORDS), -1):
            # the cell words[start:end], grown leftwards
            if start < end - 1:
                gaps += gap_after[start]
                if gaps > border:  # a column border
                    break
            word = texts[start]
            text = f"{word} {text}" if text else word
            has_value = has_value or values[start]
            units += sum(t.startswith("(") and t.endswith(")") for t in word.split())
            if units > 1:  # a header has one unit: "BMC (g) (cm2)" is BMC and the unit
                score = -float(units)  # of a header over the next column, as apart
            elif not has_value and kind(text):  # a value is no header
                score = 1.0 - (_UNIT_START_COST if word.startswith("(") else 0.0)
            else:
                score = -1.0
            total = best[start][0] + score - gaps / unit
            if total > best_end[0]:
                best_end = (total, start)
        best[end] = best_end
    cells: list[list[Word]] = []
    end = count
    while end:
        start = best[end][1]
        cells.append(words[start:end])
        end = start
    return cells[::-1]


def _tight_cells(words: list[Word], height: float,
                 kind: Callable[[str], str]) -> list[list[Word]] | None:
    """The cells of words closer than one and a half letter heights, when each names one column and
    holds no value (the common header, read without weighing every cut); else None."""
    cells: list[list[Word]] = []
    for word in words:
        if cells and word.x0 - cells[-1][-1].x1 < 1.5 * height:
            cells[-1].append(word)
        else:
            cells.append([word])
    for cell in cells:
        texts = [w.text for w in cell]
        if not kind(" ".join(texts)) or any(_DECIMAL_RE.search(t) for t in texts):
            return None
        if any(kind(" ".join(texts[:i])) and kind(" ".join(texts[i:]))
               for i in range(1, len(texts))):
            return None  # two headers close together
    return cells


def _unglued(words: list[Word]) -> list[Word]:
    """Words printed without a space between them split apart (``T-ScoreYoung``,
    ``(%)ST``): a capital after two small letters, or a letter after a closing bracket."""
    out: list[Word] = []
    for word in words:
        if not _GLUED_RE.search(word.text):
            out.append(word)
            continue
        parts = _GLUED_RE.sub(" ", word.text)
        out.extend(split_box(parts, word.x0, word.x1, word.top, word.bottom))
    return out


def _is_unit(cell: list[Word]) -> bool:
    return all(w.text.startswith("(") and w.text.endswith(")") for w in cell)


def _units_home(cells: list[list[Word]], kind: Callable[[str], str]) -> list[list[Word]]:
    """A unit left alone by headers printed over each other (``(g/cm²)`` between ``BMD`` and
    ``Change vs Previous (g/cm²)``) joins the nearest header on its left that names a column
    and has no unit yet, unless a whole header stands between them."""
    out = [list(cell) for cell in cells]
    for cell in [c for c in out if _is_unit(c) and not kind(" ".join(w.text for w in c))]:
        index = out.index(cell)
        home = next((c for c in reversed(out[:index]) if not _is_unit(c)
                     and kind(" ".join(w.text for w in c))
                     and not any(t.startswith("(") for w in c for t in w.text.split())), None)
        if home is None or cell[0].x0 - home[-1].x1 >= _GAP_WEIGHT * 4 * home[0].height:
            continue
        end, start = max(w.x1 for w in home), cell[0].x0
        if any(end < (c[0].x0 + c[-1].x1) / 2 < start for c in out[out.index(home) + 1:index]):
            continue  # a whole header between them (``Z-Score`` ``Age Match (%)`` ``(%)``)
        home.extend(cell)
        out.remove(cell)
    return out


_MEMO_SIZE = 2048  # header lines (and pairs of them) remembered by content


def header_cells(line: Line, kind: Callable[[str], str]) -> list[Cell]:
    """The header cells of ``line``, left to right; ``kind`` names what a header text is
    about ("" for nothing known). Cut once per content: a template's header lines come back
    word for word, at the same places, in every report it prints."""
    return list(_CELLS.get((line.signature(), kind), lambda: tuple(_header_cells(line, kind))))


_CELLS: Memo[tuple[Cell, ...]] = Memo(_MEMO_SIZE)


def _header_cells(line: Line, kind: Callable[[str], str]) -> list[Cell]:
    height = max(line.height, 1.0)
    strands = _strands(_unglued(line.words), height)
    cells = [cell for strand in strands
             for cell in (_tight_cells(strand, height, kind) or _cut(strand, height, kind))]
    cells.sort(key=lambda c: c[0].x0)
    if len(strands) > 1:  # headers printed over each other
        cells = _units_home(cells, kind)
    merged: list[list[Word]] = []
    for cell in cells:
        if merged and merged[-1][-1].x1 <= cell[0].x0 \
                and cell[0].x0 - merged[-1][-1].x1 < _SAME_ROLE_GAP * height:
            text, previous = " ".join(w.text for w in cell), " ".join(w.text for w in merged[-1])
            if kind(text) and kind(text) == kind(previous) and not _is_unit(merged[-1][-1:]):
                merged[-1] = merged[-1] + cell  # a unit ends a header: "(g/cm2)" "Change" stay
                continue
        merged.append(list(cell))
    return [(c[0].x0, max(w.x1 for w in c), line.top, " ".join(w.text for w in c))
            for c in merged]


def _overlap(a: Word, b: Word) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0)


def _stacks(upper: list[Word], lower: list[Word]) -> list[tuple[list[Word], list[Word]]]:
    """The words of two header lines that sit over each other, in groups linked by overlap."""
    groups: list[tuple[list[Word], list[Word]]] = []
    seen: set[int] = set()
    for start in upper:
        if id(start) in seen:
            continue
        tops, bottoms, queue = [start], [], [start]
        seen.add(id(start))
        while queue:
            word = queue.pop()
            others, into = (lower, bottoms) if word in tops else (upper, tops)
            for other in others:
                if id(other) not in seen and _overlap(word, other):
                    seen.add(id(other))
                    into.append(other)
                    queue.append(other)
        if bottoms:
            groups.append((sorted(tops, key=lambda w: w.x0), sorted(bottoms, key=lambda w: w.x0)))
    return groups


def stacked(upper: Line, lower: Line, kind: Callable[[str], str],
            joined_roles: frozenset[str]) -> tuple[Line | None, Line]:
    """Two header lines with a column header printed over both joined by meaning: words of
    ``upper`` over words of ``lower`` in the same column band become one header word on the
    lower line, its box their band's (``T-`` over ``Score``, ``Young`` over ``Ref. (%)``,
    ``Age`` over ``Match (%)``), when together they name a column of ``joined_roles`` that
    the lower words alone do not name. A unit under a header (``BMD`` over ``(g/cm2)``) is
    not joined here: the columns take it as a second header level. Close columns need this:
    ``Score Ref. (%) Score Match (%)`` on one line names no column apart, so the line would
    be one cell. Returns what is left of ``upper`` (None when nothing is) and the lower line
    with the joined words."""
    joins = _JOINS.get((upper.signature(), lower.signature(), kind, joined_roles),
                       lambda: _joins(upper, lower, kind, joined_roles))
    if not joins:
        return upper, lower
    joined: list[Word] = []
    used: set[int] = set()
    for top_indices, bottom_indices in joins:
        tops = [upper.words[i] for i in top_indices]
        bottoms = [lower.words[i] for i in bottom_indices]
        words = tops + bottoms
        joined.append(Word(f"{' '.join(w.text for w in tops)} {' '.join(w.text for w in bottoms)}",
                           min(w.x0 for w in words), max(w.x1 for w in words), lower.top,
                           lower.bottom))
        used.update(id(w) for w in words)
    rest = [w for w in upper.words if id(w) not in used]
    return (Line(upper.page, rest) if rest else None,
            Line(lower.page, [w for w in lower.words if id(w) not in used] + joined))


Join = tuple[tuple[int, ...], tuple[int, ...]]  # indices of the upper and the lower line's words


def _joins(upper: Line, lower: Line, kind: Callable[[str], str],
           joined_roles: frozenset[str]) -> tuple[Join, ...]:
    """The groups of words :func:`stacked` joins, as indices into each line's words (what the
    words are, not which objects: remembered by content)."""
    upper_index = {id(w): i for i, w in enumerate(upper.words)}
    lower_index = {id(w): i for i, w in enumerate(lower.words)}
    joins: list[Join] = []
    for tops, bottoms in _stacks(list(upper.words), list(lower.words)):
        top_text = " ".join(w.text for w in tops)
        bottom_text = " ".join(w.text for w in bottoms)
        role = kind(f"{top_text} {bottom_text}")
        if role not in joined_roles or kind(bottom_text) or _is_unit(bottoms):
            continue
        joins.append((tuple(upper_index[id(w)] for w in tops),
                      tuple(lower_index[id(w)] for w in bottoms)))
    return tuple(joins)


_JOINS: Memo[tuple[Join, ...]] = Memo(_MEMO_SIZE)
