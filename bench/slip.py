"""Slip figures: render time, ESC/POS bytes sent and paper used, for common procedures and for
the short slips of the centre's most asked-for services (issue 18).

Run: ``.venv/bin/python bench/slip.py`` (optionally ``--repeat N``). Prints a Markdown table.
The case for each procedure: the resident has the first paper and lacks the others (the usual
first visit), an ordinary ticket, a centre name and phone number of typical length.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cases.case import Case, Ticket  # noqa: E402
from cases.codec import encode  # noqa: E402
from printer.output import escpos_bytes  # noqa: E402
from printer.profiles import profile_for  # noqa: E402
from printer.render import font_path, length_mm, render_slip  # noqa: E402
from printer.slip import build_service_slip, build_slip  # noqa: E402
from procedures.catalogue import load_catalogue  # noqa: E402

COMMON = ("1.001193", "1.000656", "1.000894", "2.000815", "2.000884")
"""Birth, death and marriage registration, certified copies, signature certification: the five
procedures commune centres handle most (hộ tịch and chứng thực)."""
SERVICES = ("pick_up_result", "vneid_help", "feedback")
"""Picking up a result, VNeID help, feedback (with a call back): the service slips."""
CENTRE = "Trung tâm Phục vụ hành chính công xã Lạc Phượng"
PHONE = "0221 3868 123"
KEY = bytes(32)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="renders per slip (median kept)")
    args = parser.parse_args()
    catalogue = load_catalogue()
    print(f"font: {font_path()}")
    print("| procedure | paper | render ms (median) | bytes sent | length mm | payload chars |")
    print("|---|---|---:|---:|---:|---:|")
    slips = []
    for code in COMMON:
        proc = catalogue.get(code)
        if proc is None:
            print(f"| {code} | missing from the catalogue | | | | |")
            continue
        case = Case(
            terminal_id="T1",
            ticket=Ticket(42, False),
            procedure_code=code,
            have=tuple(i == 0 for i in range(len(proc.papers))),
            created=datetime(2026, 11, 23, 9, 41, 7),
        )
        payload = encode(case, KEY)
        slips.append((f"{code} {proc.short_name}", build_slip(case, proc, CENTRE, PHONE, payload),
                      payload))
    for sid in SERVICES:
        service = catalogue.services[sid]
        feedback = sid == "feedback"
        case = Case("T1", Ticket(42, False), "", (), created=datetime(2026, 11, 23, 9, 41, 7),
                    service=sid, topic="waiting" if feedback else "", call_back=feedback)
        payload = encode(case, KEY, catalogue)
        slips.append((f"{sid} {service.short_name}",
                      build_service_slip(case, service, CENTRE, PHONE, payload), payload))
    for name, slip, payload in slips:
        for paper in (58, 80):
            width = profile_for(paper).width_dots
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                image = render_slip(slip, width)
                times.append((time.perf_counter() - start) * 1000)
            sent = len(escpos_bytes(image, paper))
            print(
                f"| {name} | {paper} mm | {statistics.median(times):.0f} "
                f"| {sent:,} | {length_mm(image):.0f} | {len(payload)} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
