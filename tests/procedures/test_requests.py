"""The blind request sets (four styles, labelled clear / ambiguous / service / none): the tuning
set (writers A and B), and the evaluation code that the held-out set runs through
(``test_heldout.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedures.evaluation import (
    STYLES,
    Request,
    evaluate_requests,
    load_requests,
    shortfalls,
)
from procedures.everyday import shipped_everyday
from procedures.matching import MatchResult

TUNE = Path(__file__).with_name("requests_tune.yaml")
REFERRAL_IDS = frozenset(r.id for r in shipped_everyday().referrals)
TOPICS = (
    "id_card",
    "passport",
    "divorce",
    "health_insurance",
    "social_insurance",
    "land_certificate_reissue",
    "land_transfer",
    "electricity_water",
    "temporary_residence",
    "driving_licence",
    "vehicle",
    "traffic_fine",
    "bank_loan",
    "criminal_record",
    "court",
    "tax",
    "school",
    "job",
)


def test_every_listed_out_of_scope_topic_has_a_referral():
    assert set(TOPICS) <= REFERRAL_IDS


def test_tune_set_loads_with_every_style_label_and_writer():
    requests = load_requests(TUNE)
    assert {r.style for r in requests} == set(STYLES)
    assert {r.label for r in requests} == {"clear", "ambiguous", "service", "none"}
    assert {r.writer for r in requests} == {"set-A", "set-B"}
    assert len(requests) == 395  # both halves of round 1


def test_matcher_reaches_the_done_when_figures_on_the_tune_set(shipped_catalogue):
    report = evaluate_requests(load_requests(TUNE), shipped_catalogue, REFERRAL_IDS)
    print("\n" + report.table() + "\n" + report.table("writer"))
    for line in report.misses():
        print("  miss: " + line)
    assert shortfalls(report.figures()) == []


def test_a_service_request_counts_in_its_own_column_and_in_false_none(shipped_catalogue):
    service = Request("đọc giùm tôi tờ giấy này", "asr", "service", service="read_aloud")
    report = evaluate_requests((service,), shipped_catalogue, REFERRAL_IDS)
    figures = report.figures()
    assert figures.clear_top1[1] == figures.ambiguous_top3[1] == 0
    assert figures.service_top1 == (1.0, 1)  # the right service first
    assert figures.false_none == (0.0, 1)  # a service is in scope: "not done here" is wrong


def test_a_service_answered_none_or_with_another_service_is_a_miss():
    from procedures.matching import Candidate

    vneid = Candidate("vneid_help", "Hỗ trợ VNeID", 80.0, "service")
    wrong = _outcome_report("service", MatchResult("match", (vneid,)), service="read_aloud")
    none = _outcome_report("service", MatchResult("none", ()), service="read_aloud")
    assert wrong.service_top1 == (0.0, 1) and wrong.false_none == (0.0, 1)
    assert none.service_top1 == (0.0, 1) and none.false_none == (1.0, 1)


def test_figures_per_writer():
    from procedures.evaluation import RequestOutcome, RequestReport

    none = MatchResult("none", ())
    outcomes = tuple(
        RequestOutcome(Request("x", "typing", "none", topic="tax", writer=w), none)
        for w in ("set-A", "set-B", "set-B")
    )
    report = RequestReport(outcomes, REFERRAL_IDS)
    assert report.writers == ("set-A", "set-B")
    assert report.figures(writer="set-B").out_of_scope_none == (1.0, 2)
    assert report.table("writer").splitlines()[1].startswith("set-A")


@pytest.mark.parametrize(
    "item, problem",
    [
        ("- {text: x, style: spoken, label: clear, codes: ['1.001193']}", "not known"),
        ("- {text: x, style: asr, label: clear, codes: ['1', '2']}", "clear request with"),
        ("- {text: x, style: asr, label: ambiguous, codes: ['1']}", "ambiguous request with"),
        ("- {text: x, style: asr, label: none}", "without its topic"),
        ("- {text: x, style: asr, label: service}", "without its service"),
        ("- {style: asr, label: none, topic: tax}", "needs a text"),
    ],
)
def test_a_malformed_request_names_its_item(tmp_path, item, problem):
    path = tmp_path / "set.yaml"
    path.write_text(f"- {{text: ok, style: asr, label: none, topic: tax}}\n{item}\n", "utf-8")
    with pytest.raises(ValueError, match=f"item 2: .*{problem}"):
        load_requests(path)


def _outcome_report(label: str, result: MatchResult, **kw: object):  # type: ignore[no-untyped-def]
    from procedures.evaluation import RequestOutcome, RequestReport

    request = Request("x", "typing", label, **kw)  # type: ignore[arg-type]
    return RequestReport((RequestOutcome(request, result),), REFERRAL_IDS).figures()


def test_a_none_without_its_referral_is_not_a_referral_hit():
    from procedures.everyday import shipped_everyday

    divorce = shipped_everyday().referral("divorce")
    right = _outcome_report("none", MatchResult("none", (), (), divorce), topic="divorce")
    wrong = _outcome_report("none", MatchResult("none", (), (), None), topic="divorce")
    assert right.referral_hit == (1.0, 1)
    assert wrong.referral_hit == (0.0, 1)
    assert wrong.out_of_scope_none == (1.0, 1)
