"""The QR code of a slip: ECC M, a 4-module quiet zone, whole-dot modules as large as fit."""

from __future__ import annotations

import qrcode
import qrcode.constants
import qrcode.util
from PIL import Image

QUIET_MODULES = 4
"""Quiet zone on every side, in modules (the QR standard's minimum)."""
MAX_MODULE_DOTS = 8
"""Largest module: 8 dots = 1 mm at 203 dpi; larger only wastes paper."""
MIN_MODULE_DOTS = 3
"""Smallest module a phone or a desk scanner reads reliably off thermal paper."""


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR symbol's modules (True = dark), quiet zone included, alphanumeric mode if possible."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_MODULES)
    mode = (
        qrcode.util.MODE_ALPHA_NUM
        if all(c in qrcode.util.ALPHA_NUM.decode() for c in payload)
        else qrcode.util.MODE_8BIT_BYTE
    )
    qr.add_data(qrcode.util.QRData(payload.encode("ascii", "strict"), mode=mode))
    qr.make(fit=True)
    return qr.get_matrix()


def module_dots(modules: int, max_width_dots: int) -> int:
    """Largest whole-dot module size so that ``modules`` modules fit ``max_width_dots``."""
    return min(MAX_MODULE_DOTS, max_width_dots // modules)


def qr_image(payload: str, max_width_dots: int) -> Image.Image:
    """A mode "1" image of the QR code (quiet zone included), at most ``max_width_dots`` wide.

    Raises ValueError when even ``MIN_MODULE_DOTS`` modules do not fit.
    """
    matrix = qr_matrix(payload)
    size = len(matrix)
    dots = module_dots(size, max_width_dots)
    if dots < MIN_MODULE_DOTS:
        raise ValueError(
            f"a {size}-module QR code needs {size * MIN_MODULE_DOTS} dots; "
            f"the paper has {max_width_dots}"
        )
    small = Image.new("1", (size, size), 1)
    pixels = small.load()
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                pixels[x, y] = 0
    return small.resize((size * dots, size * dots), Image.Resampling.NEAREST)
