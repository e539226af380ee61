"""A phone photo of a page → the page as if scanned flat: the sheet's four corners found and warped
to a rectangle (``cv2.getPerspectiveTransform``), before deskew and recognition (scan.py).

A photo shows the sheet on a darker desk, keystoned (the corners displaced by the slant of the
camera). A scan shows paper to its edges: its border is not dark, and the page is left as it is,
byte for byte, so straight scans read exactly as before.
"""
from __future__ import annotations

import cv2
import numpy as np

SHRINK = 4  # the sheet is found on a quarter-size image: its corners need no finer place
DESK = 0.6  # the share of the image's border that must be darker than paper for a photo
MIN_SHEET = 0.25  # the sheet covers at least this share of the photo
MIN_SHIFT = 0.01  # corners within this share of the side of the image's own: nothing to undo


def _ordered(quad: np.ndarray) -> np.ndarray:
    """Four points as top-left, top-right, bottom-right, bottom-left."""
    s, d = quad.sum(axis=1), quad[:, 1] - quad[:, 0]
    return np.float32([quad[np.argmin(s)], quad[np.argmin(d)], quad[np.argmax(s)], quad[np.argmax(d)]])


def sheet_corners(gray: np.ndarray) -> np.ndarray | None:
    """The sheet's corners (tl, tr, br, bl; pixels of ``gray``) when ``gray`` is a photo of a sheet on a
    darker ground; None for a scan (paper to the border) or when no four-cornered sheet is seen."""
    small = cv2.resize(gray, None, fx=1 / SHRINK, fy=1 / SHRINK, interpolation=cv2.INTER_AREA)
    level, paper = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    border = np.concatenate([small[0], small[-1], small[:, 0], small[:, -1]])
    if (border < level).mean() < DESK:
        return None
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))  # print inside the sheet
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    sheet = cv2.convexHull(max(contours, key=cv2.contourArea))
    if cv2.contourArea(sheet) < MIN_SHEET * small.size:
        return None
    quad = cv2.approxPolyDP(sheet, 0.02 * cv2.arcLength(sheet, True), True)
    if len(quad) != 4:
        return None
    return _ordered(quad.reshape(4, 2).astype(np.float32) * SHRINK)


def flatten(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """``gray`` with a photographed sheet warped flat to a rectangle (its sides' lengths), and the 3×3
    matrix that did it (None for a scan, returned as it is: the same array)."""
    corners = sheet_corners(gray)
    if corners is None:
        return gray, None
    h, w = gray.shape
    frame = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    if np.abs(corners - frame).max() < MIN_SHIFT * max(h, w):
        return gray, None
    tl, tr, br, bl = corners
    width = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    target = np.float32([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    matrix = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(gray, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=255), matrix


def dewarp(gray: np.ndarray) -> np.ndarray:
    return flatten(gray)[0]
