"""Handwritten digits in a header blank, cut apart and read by a small handwriting classifier.

Tesseract has no handwriting model, and no model can be downloaded at run time. A support
vector classifier trained on the real handwriting set scikit-learn ships (UCI optdigits,
digitize.inkmodel) reads a văn thư's ink digits once each is cut out, straightened and sized
as that set was made:

- the blank's ink is thresholded (Otsu) and cut into connected components; pieces under
  MIN_PIECE_HEIGHT of the tallest are dots and ticks, and long flat ones the rule under the
  agency's name; pieces overlapping across are one digit (a 4's two strokes, a 7's bar);
- a piece wider than a digit (WIDEST: single ink digits on the real scans measure 0.38-1.07
  of their height, touching pairs 1.16-1.4) is digits touching: it is cut at the thinnest
  column near where equal digits would meet, if that column is a thin junction (THIN). The
  run is also kept whole, so the second reader reads the ink as written, not our cut;
- each digit is deslanted by its second moments (a pen leans right; the set's writers less),
  fitted into 32 x 32 keeping its shape, and counted in 4 x 4 blocks.

Hand-written here because no packaged library reads handwritten digits without a model
download. Measured on vn-admin-real's 17 scans with an ink number or day (34 blanks): the
classifier alone reads about half right; a value is only ever taken where Tesseract reads
the same digits (digitize.handwritten), and then 15 of 35 were right and none wrong (two
of them owed to cutting touching digits). A reading is refused (None) when its pieces do
not look like a row of digits: none, more than MAX_DIGITS, a wide piece with no thin
junction, or a tall piece cut by the crop's right edge (a digit running into the printed
word after the blank).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from digitize.inkmodel import shipped
from digitize.preprocess.images import Gray, as_gray

MIN_PIECE_HEIGHT = 0.45
"""Pieces lower than this share of the blank's tallest piece are not digits."""
EDGE_PIECE_HEIGHT = 0.3
"""A piece at least this share of the tallest that touches the crop's right edge is a digit
cut short: the reading is refused."""
FLAT = 3.0
"""A piece this many times wider than tall is a rule, not a digit."""
OVERLAP = 0.3
"""A piece starting this share of its width before the previous one ends belongs to it."""
WIDEST = 1.1
"""A digit is at most this wide for its height; wider, two digits touch."""
MAX_DIGITS = 4
DIGIT_WIDTH = 0.65
"""A handwritten digit's usual width for its height: how many digits a touching run holds."""
CUT_WINDOW = 0.25
"""A touching run is cut at its thinnest column within this share of a digit's width of
where equal digits would meet."""
THIN = 0.35
"""That column holds ink over at most this share of the run's height: pen digits touch at a
stroke or two (vn-admin-real's touching pairs: 0.10-0.29); a blot or digits written over
each other do not part there."""
Piece = tuple[int, int, int, int, int]
"""left, top, width, height and label of one connected piece of ink."""
SIDE = 32
"""optdigits' bitmap side; BLOCK x BLOCK blocks are counted into its 8 x 8 features."""
BLOCK = 4


def _deslanted(piece: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """The piece sheared upright by its second moments, cropped to its ink."""
    moments = cv2.moments(piece, binaryImage=True)
    if abs(moments["mu02"]) < 1e-2:
        return piece
    slant = moments["mu11"] / moments["mu02"]
    height = piece.shape[0]
    pad = int(abs(slant) * height) + 2
    wide = cv2.copyMakeBorder(piece, 0, 0, pad, pad, cv2.BORDER_CONSTANT, value=0)
    shear = np.array([[1.0, -slant, slant * height / 2], [0.0, 1.0, 0.0]], dtype=np.float32)
    out = np.asarray(
        cv2.warpAffine(wide, shear, (wide.shape[1], height), flags=cv2.INTER_NEAREST), np.uint8
    )
    ys, xs = np.nonzero(out)
    if not len(xs):
        return piece
    return np.asarray(out[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1], dtype=np.uint8)


def _features(piece: npt.NDArray[np.uint8]) -> npt.NDArray[np.float64]:
    """optdigits' 64 features of one digit: fitted into 32 x 32, ink pixels per 4 x 4 block."""
    upright = _deslanted(piece)
    height, width = upright.shape
    scale = SIDE / max(height, width)
    new_h, new_w = max(1, round(height * scale)), max(1, round(width * scale))
    small = cv2.resize(upright, (new_w, new_h), interpolation=cv2.INTER_AREA)
    canvas = np.zeros((SIDE, SIDE), np.float64)
    top, left = (SIDE - new_h) // 2, (SIDE - new_w) // 2
    canvas[top : top + new_h, left : left + new_w] = small > 127
    cells = SIDE // BLOCK
    counts: npt.NDArray[np.float64] = canvas.reshape(cells, BLOCK, cells, BLOCK).sum(axis=(1, 3))
    return counts.ravel()


@dataclass(frozen=True)
class Cut:
    """A blank's ink cut apart: each digit for the classifier, and each run of touching
    digits left whole for a second reader, so that it reads the ink, not the cut."""

    digits: list[npt.NDArray[np.uint8]]
    runs: list[npt.NDArray[np.uint8]]


def cut_digits(crop: Gray, end: int | None = None) -> Cut | None:
    """Each digit's ink (255 on 0), left to right, and the runs they were cut from; None
    where the pieces are no clean row of digits. With `end`, the crop reaches past the
    blank's end (at that x) so that a pen stroke running on over the next printed word's
    box is whole; ink starting at `end` or after is that word's."""
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    pieces: list[Piece] = [
        (int(stats[i, 0]), int(stats[i, 1]), int(stats[i, 2]), int(stats[i, 3]), i)
        for i in range(1, count)
        if end is None or stats[i, 0] < end
    ]
    if not pieces:
        return None
    tallest = max(p[3] for p in pieces)
    right = ink.shape[1]
    if any(x + w >= right and h >= EDGE_PIECE_HEIGHT * tallest for x, _, w, h, _ in pieces):
        return None
    kept = sorted(p for p in pieces if p[3] >= MIN_PIECE_HEIGHT * tallest and p[2] < FLAT * p[3])
    groups: list[list[Piece]] = []
    for piece in kept:
        if groups and piece[0] < max(p[0] + p[2] for p in groups[-1]) - OVERLAP * piece[2]:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    if not 1 <= len(groups) <= MAX_DIGITS:
        return None
    digits, runs = [], []
    for group in groups:
        x0, y0 = min(p[0] for p in group), min(p[1] for p in group)
        x1, y1 = max(p[0] + p[2] for p in group), max(p[1] + p[3] for p in group)
        window = labels[y0:y1, x0:x1]
        run = np.isin(window, [p[4] for p in group]).astype(np.uint8) * 255
        parts = _untouched(run)
        if parts is None:
            return None
        digits.extend(parts)
        runs.append(run)
    return Cut(digits, runs) if len(digits) <= MAX_DIGITS else None


def _trimmed(ink: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8] | None:
    """The ink cut to its bounding box; None where there is none."""
    rows, cols = np.nonzero(ink)
    if not rows.size:
        return None
    return ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]


def _untouched(ink: npt.NDArray[np.uint8]) -> list[npt.NDArray[np.uint8]] | None:
    """One piece of ink as the digits it holds: itself where it is no wider than a digit
    (WIDEST), else cut where its digits touch, at the thinnest column near each place equal
    digits would meet; None where that column is no thin junction (THIN), or a part is
    still too wide or holds no ink."""
    height, width = ink.shape
    if width <= WIDEST * height:
        return [ink]
    count = max(2, round(width / (DIGIT_WIDTH * height)))
    step = width / count
    columns = (ink > 0).sum(axis=0)
    cuts = [0]
    for at in range(1, count):
        low = max(cuts[-1] + 1, round(at * step - CUT_WINDOW * step))
        high = min(width - 1, round(at * step + CUT_WINDOW * step))
        if low >= high:
            return None
        cut = low + int(np.argmin(columns[low:high]))
        if columns[cut] > THIN * height:
            return None
        cuts.append(cut)
    cuts.append(width)
    parts = [_trimmed(ink[:, a:b]) for a, b in itertools.pairwise(cuts)]
    if any(p is None or p.shape[1] > WIDEST * p.shape[0] for p in parts):
        return None
    return [p for p in parts if p is not None]


def classify_digits(pieces: list[npt.NDArray[np.uint8]]) -> str:
    """The digits these pieces (cut_digits) are, left to right."""
    predicted = shipped().predict(np.array([_features(p) for p in pieces]))
    return "".join(str(int(d)) for d in predicted)


def digit_choices(pieces: list[npt.NDArray[np.uint8]]) -> list[frozenset[str]]:
    """For each piece, the digits the classifier ranks first or second (all those tied
    there): what it would not rule out."""
    model = shipped()
    choices = []
    for row in model.votes(np.array([_features(p) for p in pieces])):
        second = np.sort(row)[-2]
        choices.append(frozenset(str(int(c)) for c in model.classes[row >= second]))
    return choices


def digits_line(pieces: list[npt.NDArray[np.uint8]]) -> Gray:
    """The pieces alone, dark on white, standing on one baseline a third of their height
    apart: the blank's digits without its rule, colon, slash or specks, for a second reader."""
    height = max(p.shape[0] for p in pieces)
    gap = max(1, height // 3)
    width = sum(p.shape[1] for p in pieces) + gap * (len(pieces) + 1)
    line = np.zeros((height + 2 * gap, width), np.uint8)
    x = gap
    for piece in pieces:
        rows, cols = piece.shape
        line[gap + height - rows : gap + height, x : x + cols] = piece
        x += cols + gap
    return as_gray(255 - line)


def read_ink_digits(crop: Gray) -> str | None:
    """The digits written in a blank's crop (grey or thresholded, ink dark), or None when
    its ink does not cut into a clean row of digits."""
    cut = cut_digits(crop)
    return None if cut is None else classify_digits(cut.digits)
