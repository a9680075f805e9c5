"""OCR pages -> the page words the PDF reader's layout reading takes (``parsers.pdf.PageWords``).

OCR gives text boxes (quadrilaterals) with a recognition score; the layout reader wants words
with boxes in page points. What differs from a PDF text layer is corrected here, and nothing
else (header cells, rows and labels are the layout reader's, by meaning):

- A scanned page may be turned by a degree or so. Across a 500 pt wide table a one-degree skew
  moves a row's right end by 9 pt, a whole row pitch, so its cells would join the next row.
  The page's skew is the median slope of its long text boxes; every box is turned back about
  the page centre.
- The detector's box is the text's ink grown on every side (DB's "unclip"), about 1.8 times as
  tall as a PDF character box of the same text (measured on rendered vendor pages: 8.8 pt
  against 4.5, 11.8 against 7.0), and as much wider: two cells printed a few points apart
  come back as touching boxes. The layout reader's pitches and gaps are in units of line
  height, so each box is shrunk on every side to keep the middle ``INK_SHARE`` of its height.
- A vertebral row label comes back with the recogniser's usual slips (``L1.L4``, ``L.2-L3``,
  ``L3-14``, ``12-L3``); it is read as printed. Values are never repaired.
- A T- or Z-score header glued to the next header at a damaged seam (``T-Scor&oung``) is
  parted after the label, so that its column is found; the next header stays as damaged.
- Spaces the recogniser dropped between words of the readers' vocabulary are put back
  (``parsers.scanned.spacing``).
- A vertebra's row label read as a number (``12`` for ``L2``) is set right where the labels
  left-aligned above or below it say which level it is (``L1`` above, ``L3`` below).
- A box the recogniser is unsure of and that holds no word (three letters) is left out whole (a
  value misread as letters), but for the first half of a two-line ``T-``/``Z-score`` header,
  and a vertebra's label (``L1`` at score 0.69) that the column of sure labels confirms (``L2``
  just below it, left-aligned).
- A box that runs into the picture's left or right side was cut by it (a dictated line longer
  than the page image: ``T-score of -2`` for ``-2.2``): a number at the cut that does not show
  its own end (a stop or unit after its decimals: ``-0.9.``) is not read, it may have lost
  digits.
- A number in a box the recogniser is unsure of (score below ``MIN_VALUE_SCORE``) is left out:
  its cell reads as empty rather than as a guess. The box's words stay; an unsure box without
  three letters in a row (``RR`` for ``79``) is no word either and is left out whole.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable
from functools import cache

from parsers.image import OcrLine, OcrPage
from parsers.kit.vocabulary import load
from parsers.pdf import PageWords
from parsers.pdf.values import number
from parsers.scanned.spacing import respaced

MIN_SKEW_DEGREES = 0.15  # below this, turning the boxes back moves nothing by a point
MAX_SKEW_DEGREES = 5.0  # above this the page is not a skewed scan but something else
INK_SHARE = 0.55
MIN_VALUE_SCORE = 0.75
_LONG_BOX = 4.0  # width / height from which a box's slope tells the page's skew
EDGE_SHARE = 0.3  # of a box's height: a box this close to the picture's side runs past it
# a word whose number may go on past the picture's side: it ends in a digit ("-2", "0.8") or in a
# point after a whole number ("1." of "1.5"); "-0.9." and "(-2.6%" show where their number ended
_OPEN_NUMBER_RE = re.compile(r".*\d|\D*\d+\.")
_LEVELS_MISREAD = re.compile(r"L\.?[1-5](?:[-.,](?:L\.?|1(?=[1-5]))?[1-5])+|L\.[1-5]")
_LEVEL_SEPARATOR_DOT = re.compile(r"(?<=[1-5])\.(?=L)")
_LEVEL_READ_AS_ONE = re.compile(r"(?<=[-,])1(?=[1-5])")
# a range whose first "L" was read as "1" ("12-L3" for L2-L3): the second level keeps its "L"
_FIRST_LEVEL_READ_AS_ONE = re.compile(r"1([1-5](?:[-,]L[1-5])+)")
# a range from L1 whose "1" was read as a small "l" or "i" or a capital "I" ("Ll-L4",
# "Li-L4);"): a range of levels needs its first level, and no word is spelt so
_ONE_READ_AS_L = re.compile(r"(?<![A-Za-z0-9])L[liI](?=(?:[-,]L[2-5])+(?![A-Za-z0-9]))")
# "L2 - L4" printed spaced, each "L" read as "1" or as "L1" ("L12 - 14"); one "L" must be left
_SPACED_RANGE_MISREAD = re.compile(r"(?=.*L)(?:L1?|1)([1-5])(?: -\s*|\s*- )(?:L1?|1)([1-5])")

# a score label glued to the next header at a damaged seam: "T-Score" and "Young Ref. (%)" printed
# close together come back as one box "T-Scoreoung", "T-Scoroung", "T-Scor&oung", "T-Scoréoung";
# "Z-Score" and "Age Match (%)" as "Z-ScoAge" (the label's tail lost, the next capital kept);
# printed over each other, the overlap is neither's letters: "T-Scdmaing" (T-Sc, then "ore"
# and "Young" as one smudge), so a hyphenated "T-Sc" with any letters after it is the label
_SCORE_LABEL_GLUED = re.compile(
    r"([TZ])(?:-?(?:Score(?=[a-z]{2})|Scor(?=[a-df-z][a-z])|Scor[^A-Za-z0-9\s-]"
    r"|Sco(?:re?)?(?=[A-Z]))|-Sc(?>(?:o(?:re?)?)?)[^A-Za-z0-9\s-]?)"
    r"([A-Za-z]{2,}\S*)")
# a percent unit run into the next header at a damaged seam, its bracket never closed: "(%T" of
# "(%)" and "LT Change", "(%ST", or alone "(%"; "%T" would name a young-adult percentage, and
# "Z-Score ... (%" an age-matched one (a score with a closed percent unit names none)
_PERCENT_UNIT_GLUED = re.compile(r"\(%([A-Za-z]\S*|)")
# a vertebral label glued to the value after it ("L1-L41.208": L1-L4 and 1.208); a level is one
# digit, so the cut is the only one
_LEVELS_GLUED_TO_NUMBER = re.compile(r"(L[1-5](?:[-,]L[1-5])*)([0-4]\.\d{2,}\S*)")
# a date with its four-digit year glued to the number after it ("27/06/202381.8": the scan date
# and the age, next columns): a year has four digits, so the cut is the only one
_DATE_GLUED_TO_NUMBER = re.compile(r"(\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d)(-?\d+\.\d+)")
# the BMD unit glued to the number after it ("g/cm20.6": g/cm2 and a T-score of 0.6); the unit
# is squared, so its 2 is the unit's
_UNIT_GLUED_TO_NUMBER = re.compile(r"(g/cm[2\u00b2])(-?\d+\.\d+)")
# the month October with its capital O read as a zero ("25-0ct-2023"): no word starts "0ct"
_OCT_READ_AS_ZERO = re.compile(r"(?<![0-9A-Za-z.,])0(ct(?:ober)?)(?![A-Za-z])")
# "BMD" printed over "Change vs Previous (g/cm2)": "BM" and anything ("BMhang", "BMDC"), or a "B"
# (or the "E" it reads as) in a word with a mark ("B@hang", "Bhange/os2") before "Previous (g/cm"
_OVERPRINTED_BMD_RE = re.compile(
    r"(?:BM\S*|B\S*[^\w\s]\S*|E\S*[^\w\s]\S*) ?(?:vs )?(Previous ?\(g/cm.*)")
# an identifier label, a slash and digits only: "Patient ID / 0009125760"
_LABEL_SLASH_DIGITS = re.compile(r"([A-Za-z][A-Za-z ]*[A-Za-z]) ?/ ?(\d{4,})")
_DECIMAL_RE = re.compile(r"-?\d+\.\d+")
# a number with decimals glued to a numeric date: "-1.271/24/2012", "99.04/8/2010"
_NUMBER_DATE_RE = re.compile(r"(-?\d+\.\d+)(/\d{1,2}/\d{2,4})")
_WORD_RE = re.compile(r"[^\W\d_]{3}")  # three letters in a row: a word, not a misread value
# the first line of a "T-/Z-score" header printed over two lines, which small print leaves unsure
# ("z-", "T." at 100 dpi): a label, not a value misread as letters
SCORE_LABEL_HALF = re.compile(r"\s*[TZtz]\s?[-.]\s*")
Box = tuple[str, float, float, float, float]  # text, x0, y0, x1, y1


def page_skew(lines: Iterable[OcrLine]) -> float:
    """The page's skew in radians (y grows downwards: positive when text falls to the right),
    the median slope of the top edges of its long boxes; 0 when too few, too small or too
    steep to be a scan's skew."""
    slopes = []
    for line in lines:
        (x0, y0), (x1, y1) = line.quad[0], line.quad[1]
        if x1 - x0 > _LONG_BOX * max(line.y1 - line.y0, 1.0):
            slopes.append(math.atan2(y1 - y0, x1 - x0))
    if len(slopes) < 3:
        return 0.0
    angle = statistics.median(slopes)
    return angle if MIN_SKEW_DEGREES <= abs(math.degrees(angle)) <= MAX_SKEW_DEGREES else 0.0


def _upright_box(line: OcrLine, angle: float, centre: tuple[float, float]
                 ) -> tuple[float, float, float, float]:
    """The line's axis-aligned box after turning its quadrilateral by ``-angle`` about
    ``centre``."""
    if angle == 0.0:
        return line.x0, line.y0, line.x1, line.y1
    cos, sin = math.cos(-angle), math.sin(-angle)
    cx, cy = centre
    xs, ys = [], []
    for x, y in line.quad:
        dx, dy = x - cx, y - cy
        xs.append(cx + dx * cos - dy * sin)
        ys.append(cy + dx * sin + dy * cos)
    return min(xs), min(ys), max(xs), max(ys)


def _ink(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    grown = (y1 - y0) * (1.0 - INK_SHARE) / 2  # DB grows a box alike on every side
    if x1 - x0 > 4 * grown:
        x0, x1 = x0 + grown, x1 - grown
    return x0, y0 + grown, x1, y1 - grown


def word_text(text: str) -> str:
    """A recognised word as printed: vertebral labels with the recogniser's slips (a comma
    read as a dot, a dot after ``L``, ``L`` read as ``1``, ``1`` read as ``l`` in a range:
    ``Ll-L4``) are set right; a T- or Z-score label
    glued to the next header word at a damaged seam is parted from it (what the seam lost
    stays lost: ``T-Scoreoung`` -> ``T-Score oung``, ``Z-ScoAge`` -> ``Z-Score Age``), and so
    is a percent unit whose bracket the seam lost (``(%T`` -> ``(%) T``, ``(%`` -> ``(%)``);
    October's O read as a
    zero is set right (``25-0ct-2023``); a vertebral label, a date or the BMD unit glued to
    the value after it is parted (``L1-L41.208``, ``27/06/202381.8``, ``g/cm20.6``)."""
    glued = _SCORE_LABEL_GLUED.fullmatch(text)
    if glued:
        return f"{glued.group(1)}-Score {glued.group(2)}"
    glued = _PERCENT_UNIT_GLUED.fullmatch(text)
    if glued:
        return f"(%) {glued.group(1)}" if glued.group(1) else "(%)"
    text = _OCT_READ_AS_ZERO.sub(r"O\1", text)
    glued = (_LEVELS_GLUED_TO_NUMBER.fullmatch(text) or _DATE_GLUED_TO_NUMBER.fullmatch(text)
             or _UNIT_GLUED_TO_NUMBER.fullmatch(text))
    if glued:
        return f"{glued.group(1)} {glued.group(2)}"
    text = _ONE_READ_AS_L.sub("L1", text)
    if _LEVELS_MISREAD.fullmatch(text):
        text = text.replace("L.", "L")
        text = _LEVEL_READ_AS_ONE.sub("L", _LEVEL_SEPARATOR_DOT.sub(",", text))
    elif _FIRST_LEVEL_READ_AS_ONE.fullmatch(text):
        text = "L" + text[1:]
    return text


def _overprinted_bmd(words: list[str]) -> list[str]:
    """A box whose first word starts as ``BMD`` and whose text goes on into ``Previous
    (g/cm2)``: a ``BMD (g/cm2)`` header printed over a ``Change vs Previous (g/cm2)`` header
    (a long right-aligned header starting left of the column before it ends). The recogniser
    reads both as one box, the letters where they overlap as neither
    (``BMhang/ems)Previous(g/cm2)``, ``B@hangems)``, ``BMDÇg/ang vs Previous``, and with BMD's
    own letters lost but its B, or the B read as an E, and a mark: ``Bhange/os2``,
    ``Emange/os2``, ``Bargécms)``): it is read as the two headers it holds, ``BMD`` and
    ``Change vs Previous`` with the rest as read, so that the table has both columns (the
    values under them are placed by their own columns: ``parsers.pdf.tables``). A first word
    that is a word of its own (``BMD``, ``BMC``, ``BMI``, ``Bone``) stays, and so does a box
    whose change header was read (``BMD (g/cnChange vs Previous``)."""
    found = _OVERPRINTED_BMD_RE.fullmatch(" ".join(words))
    if not words or words[0] in ("BMD", "BMC", "BMI") or not found:
        return words
    return ["BMD", "Change", "vs", *found.group(1).split()]


def _number_and_date(word: str, printed: frozenset[str] = frozenset()) -> list[str]:
    """A number glued to the date printed after it (``-1.271/24/2012``: a score and the date
    of the next column, whose boxes the detector joined) parted where only one cut leaves a
    number with decimals and a possible date; where cuts disagree on the date
    (``79.023/05/2013``: 79.0 and 23/05, or 79.02 and 3/05), the one whose number the page
    prints again on its own (``printed``: a score block repeats its table row's values) is
    taken if it is the only such cut, else the word stays as read; where they agree on the
    date only (``99.004/8/2010``: 99.0 and 04/8, or 99.00 and 4/8), the number is left out."""
    match = _NUMBER_DATE_RE.fullmatch(word)
    if not match:
        return [word]
    digits, rest = match.groups()  # "-1.271", "/24/2012"
    second = int(rest.split("/")[1])
    cuts = []
    for cut in range(digits.index(".") + 2, len(digits)):
        lead = digits[cut:]  # the date's first part
        if len(lead) <= 2 and 1 <= int(lead) <= 31 and 1 <= second <= 31 \
                and min(int(lead), second) <= 12:
            cuts.append((digits[:cut], lead + rest))
    if len({int(date.split("/")[0]) for _, date in cuts}) != 1:
        repeated = [cut for cut in cuts if cut[0] in printed]
        return list(repeated[0]) if len(repeated) == 1 else [word]
    numbers = {number for number, _ in cuts}
    return [*numbers, cuts[0][1]] if len(numbers) == 1 else [cuts[0][1]]


def box_text(text: str) -> str:
    """A recognised box as printed: a spaced vertebral range whose ``L`` came back as ``1``
    or as ``L1`` (``L12 - 14`` for ``L2 - L4``) is set right where it reads as a range up
    the spine; each word then as ``word_text`` sets it."""
    spaced = _SPACED_RANGE_MISREAD.fullmatch(text)
    if spaced and int(spaced.group(1)) < int(spaced.group(2)):
        return f"L{spaced.group(1)} - L{spaced.group(2)}"
    return " ".join(word_text(word) for word in text.split())


def _identifier_under_label(text: str) -> str:
    """``Patient ID / 0009125760``: an identifier label printed as two names (``Patient ID /
    MRN:``) with the value printed over the second, which the recogniser then loses, colon
    and all. A value of digits only holds none of the lost name's letters and is the label's
    value (``Patient ID: 0009125760``); one with letters (``MRMRN217817``) may hold them and
    stays as read (null: its label is not found)."""
    found = _LABEL_SLASH_DIGITS.fullmatch(text.strip())
    if found and found.group(1).lower() in _identifier_labels():
        return f"{found.group(1)}: {found.group(2)}"
    return text


@cache
def _identifier_labels() -> frozenset[str]:
    return frozenset(label for label in load("report_labels")["patient_id"]
                     if label.replace(" ", "").isalpha())


def _box_text(line: OcrLine, printed: frozenset[str] = frozenset()) -> str:
    words = [part for word in box_text(_identifier_under_label(line.text)).split()
             for part in respaced(word).split()]
    words = [part for word in words for part in _number_and_date(word, printed)]
    words = _overprinted_bmd(words)
    if line.confidence < MIN_VALUE_SCORE:
        if not _WORD_RE.search(line.text) and not SCORE_LABEL_HALF.fullmatch(line.text):
            return ""  # no word in it either: a value misread as letters ("RR" for "79")
        words = [word for word in words if number(word) is None]
    return " ".join(words)


def _cut_by_the_side(text: str, line: OcrLine, page_width: float) -> str:
    """``text`` without a number cut by the picture's side: at the right, a last word whose
    number does not show its end (``-2`` may be ``-2.2``, ``0.8`` may be ``0.819``; ``-0.9.``
    and ``(-2.6%`` are whole); at the left, a first word holding a digit."""
    margin = EDGE_SHARE * (line.y1 - line.y0)
    words = text.split()
    if words and line.x1 >= page_width - margin and _OPEN_NUMBER_RE.fullmatch(words[-1]):
        words.pop()
    if words and line.x0 <= margin and any(c.isdigit() for c in words[0]):
        words.pop(0)
    return " ".join(words)


def page_words(page: OcrPage) -> PageWords:
    """The words of one OCR page, deskewed, in page points."""
    angle = page_skew(page.lines)
    centre = (page.width / 2, page.height / 2)
    boxes: list[Box] = []
    unsure_levels: list[Box] = []
    printed = frozenset(word for line in page.lines for word in line.text.split()
                        if _DECIMAL_RE.fullmatch(word))
    for line in page.lines:
        text = _cut_by_the_side(_box_text(line, printed), line, page.width)
        if text:
            boxes.append((text, *_ink(*_upright_box(line, angle, centre))))
        elif level := _unsure_level(line):
            unsure_levels.append((level, *_ink(*_upright_box(line, angle, centre))))
    boxes += _confirmed_levels(unsure_levels, boxes)
    return PageWords.from_boxes(page.width, page.height, _vertebra_labels(boxes))


_LEVEL_RE = re.compile(r"L([1-5])")
_LEVEL_AS_NUMBER_RE = re.compile(r"1([1-5])")
_FIRST_LEVEL_MISREAD = re.compile(r"L[lI|]")  # L1 with its "1" read as a small l, I or a bar
_LABEL_ALIGN = 2.0  # points: the left edges of one column's row labels
_ROW_PITCH = (1.5, 2.7)  # a table row's pitch in heights of its label


def _vertebra_labels(boxes: list[Box]) -> list[Box]:
    """A vertebra's row label read as a number (``L2`` as ``12``) in a column of vertebral
    labels is set right where the column says which it is: the label above it, left-aligned
    and within two of its heights, is the level before (``L1``) or the label below it is the
    level after (``L3``). So is ``Ll`` (``L1`` with its ``1`` read as a small ``l``) with
    ``L2`` under it. A ``12`` or ``Ll`` anywhere else (a value, a date part) stays as read."""
    labels = [(int(m.group(1)), box) for box in boxes if (m := _LEVEL_RE.fullmatch(box[0]))]
    out: list[Box] = []
    for box in boxes:
        found = _LEVEL_AS_NUMBER_RE.fullmatch(box[0])
        if found and _between_levels(int(found.group(1)), box, labels):
            box = (f"L{found.group(1)}", *box[1:])
        elif _FIRST_LEVEL_MISREAD.fullmatch(box[0]) and _between_levels(1, box, labels):
            box = ("L1", *box[1:])
        out.append(box)
    return out


def _unsure_level(line: OcrLine) -> str | None:
    """A box the recogniser is unsure of that reads as one vertebra's label (``L1``)."""
    if line.confidence >= MIN_VALUE_SCORE:
        return None
    text = word_text(line.text.strip())
    return text if _LEVEL_RE.fullmatch(text) else None


def _confirmed_levels(unsure: list[Box], boxes: list[Box]) -> list[Box]:
    """The unsure vertebra labels (``L1`` at score 0.69) that the column of sure labels
    confirms: the level before it just above, or the level after it just below, left-aligned
    with it. Elsewhere an unsure ``L1`` may be a misread value and stays out."""
    labels = [(int(m.group(1)), box) for box in boxes if (m := _LEVEL_RE.fullmatch(box[0]))]
    return [box for box in unsure
            if _between_levels(int(box[0][1]), box, labels)]


def _between_levels(level: int, box: Box, labels: list[tuple[int, Box]]) -> bool:
    """A left-aligned level label next to the box says it is ``level``: the level before
    right above it or the level after right below it, or one further up or down the spine
    by as many rows (rows whose labels went unread between them: ``L4`` two rows under the
    ``12`` of ``L2``), a row being ``_ROW_PITCH`` of the box's heights."""
    _, x0, top, _, bottom = box
    height = bottom - top
    for other, (_, ox0, otop, _, _) in labels:
        if abs(ox0 - x0) > _LABEL_ALIGN or other == level:
            continue
        rows, down = abs(other - level), otop - top
        if (down > 0) != (other > level):
            continue  # the spine's order is the table's
        if rows == 1 and 0 < abs(down) <= 2.5 * height:
            return True
        if 1 < rows <= 3 and _ROW_PITCH[0] <= abs(down) / (rows * height) <= _ROW_PITCH[1]:
            return True
    return False
