"""The QR code: decodable, ECC M, alphanumeric, 4-module quiet zone, largest whole-dot modules."""

from __future__ import annotations

import pytest
import zxingcpp

from printer.qr import MAX_MODULE_DOTS, QUIET_MODULES, module_dots, qr_image, qr_matrix

PAYLOAD = "H1-T1-U12-1.001193-605-10C-ZKZA0-5PVLEU06IDUMDHDS"


def _read(image):
    return zxingcpp.read_barcodes(image.convert("L"))


@pytest.mark.parametrize("width", [368, 496, 560])
def test_qr_code_reads_back_with_ecc_m(width):
    results = _read(qr_image(PAYLOAD, width))
    assert [r.text for r in results] == [PAYLOAD]
    assert results[0].ec_level == "M"


def test_payload_is_encoded_in_alphanumeric_mode_so_the_symbol_stays_small():
    # 49 alphanumeric characters fit version 3 (29 modules) at ECC M; bytes would need version 4
    assert len(qr_matrix(PAYLOAD)) == 29 + 2 * QUIET_MODULES


def test_quiet_zone_is_four_modules_of_white():
    image = qr_image(PAYLOAD, 368)
    modules = len(qr_matrix(PAYLOAD))
    dots = image.width // modules
    quiet = QUIET_MODULES * dots
    inner = image.crop((quiet, quiet, image.width - quiet, image.height - quiet))
    assert image.convert("L").point(lambda v: 255 - v).getbbox() == (
        quiet,
        quiet,
        image.width - quiet,
        image.height - quiet,
    )
    assert inner.getpixel((0, 0)) == 0  # the finder pattern starts right after the quiet zone


def test_module_size_is_the_largest_whole_dot_that_fits_capped_at_8():
    assert module_dots(37, 368) == MAX_MODULE_DOTS
    assert module_dots(37, 200) == 5
    image = qr_image(PAYLOAD, 200)
    assert image.width == 37 * 5 and image.width <= 200


def test_qr_too_wide_for_the_paper_is_refused():
    with pytest.raises(ValueError, match="dots"):
        qr_image(PAYLOAD, 60)
