"""The signed QR payload: round trips, refusals with a reason, size limits, fuzzing."""

from __future__ import annotations

import string
from dataclasses import replace
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.case import FEEDBACK_TOPICS, Case, Delivery, Need, Priority, Ticket
from cases.codec import (
    ALPHABET,
    PayloadError,
    _tag,
    case_to_dict,
    decode,
    encode,
    payload_length_limit,
)
from procedures.catalogue import MAX_CHOICE_PAPERS, load_catalogue
from procedures.model import Paper, Procedure

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
CATALOGUE = load_catalogue()
QR_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


BIRTH_PAPERS = len(CATALOGUE.procedures["1.001193"].papers)


def make_case(code: str = "1.001193", papers: int = BIRTH_PAPERS, **changes) -> Case:
    base = Case(
        terminal_id="T1",
        ticket=Ticket(12, True),
        procedure_code=code,
        have=tuple(i % 2 == 0 for i in range(papers)),
        priority=Priority.ELDERLY,
        needs=frozenset({Need.HARD_OF_HEARING, Need.WHEELCHAIR}),
        delivery=Delivery.POST,
        created=datetime(2026, 11, 23, 9, 41, 7),
    )
    return replace(base, **changes)


class TwelvePapers:
    """A catalogue holding one procedure with 12 papers (none ships with that many yet); the
    last ``choices`` even ones have five alternatives each."""

    def __init__(self, choices: int = 0) -> None:
        proto = CATALOGUE.get("1.001193")
        assert proto is not None
        paper = Paper("Giấy", "Giấy.", proto.papers[0].need, None, "Tại Trung tâm.")
        group = replace(paper, alternatives=CATALOGUE.get("1.001193").papers[2].alternatives * 2)
        papers = [paper] * 12
        for i in range(choices):
            papers[10 - 2 * i] = group
        self.proc = replace(proto, code="2.000123", papers=tuple(papers))

    def get(self, code: str) -> Procedure | None:
        return self.proc if code == self.proc.code else None


def test_catalogue_loads_without_errors_for_the_round_trip():
    assert CATALOGUE.procedures and not CATALOGUE.errors


@pytest.mark.parametrize("code", sorted(CATALOGUE.procedures))
def test_round_trip_for_every_shipped_procedure(code):
    papers = len(CATALOGUE.procedures[code].papers)
    for have in ((True,) * papers, (False,) * papers, tuple(i % 3 == 1 for i in range(papers))):
        case = make_case(code, papers, have=have)
        assert decode(encode(case, KEY), KEY, CATALOGUE) == case


def test_round_trip_keeps_every_priority_need_and_delivery():
    for priority in Priority:
        for delivery in Delivery:
            for needs in (frozenset(), frozenset(Need)):
                case = make_case(priority=priority, delivery=delivery, needs=needs)
                assert decode(encode(case, KEY), KEY, CATALOGUE) == case


def test_round_trip_keeps_ordinary_ticket_and_time_to_the_second():
    case = make_case(ticket=Ticket(999, False), created=datetime(2025, 1, 1, 0, 0, 0))
    assert decode(encode(case, KEY), KEY, CATALOGUE) == case
    case = make_case(created=datetime(2094, 12, 31, 23, 59, 59))
    assert decode(encode(case, KEY), KEY, CATALOGUE).created == case.created


def test_payload_uses_only_uppercase_qr_alphanumeric_without_space_dollar_percent_star_plus():
    payload = encode(make_case(), KEY)
    assert set(payload) <= ALPHABET <= QR_ALPHANUMERIC
    assert not set(payload) & set(" $%*+")
    assert payload == payload.upper()


def test_payload_starts_with_the_format_version():
    assert encode(make_case(), KEY).startswith("H1-")


@pytest.mark.parametrize(
    ("choices", "chosen"), [(0, frozenset()), (MAX_CHOICE_PAPERS, frozenset({(8, 3), (10, 4)}))]
)
def test_payload_for_twelve_papers_is_at_most_64_characters(choices, chosen):
    """The longest form: 12 papers, the longest ids, papers that do not apply (only odd ones:
    they are not had) and, with papers any one of several things will do for, those had through
    their last alternative."""
    cat = TwelvePapers(choices=choices)
    worst = make_case(
        cat.proc.code,
        12,
        terminal_id="ABCD",
        ticket=Ticket(999, True),
        needs=frozenset(Need),
        priority=Priority.SERIOUSLY_ILL,
        created=datetime(2094, 12, 31, 23, 59, 59),
        not_needed=frozenset({1, 3, 11}),
        chosen=chosen,
    )
    payload = encode(worst, KEY)
    assert len(payload) <= 64
    assert payload_length_limit(12, choices) >= len(payload)
    assert decode(payload, KEY, cat) == worst


def longest_case(proc: Procedure) -> Case:
    """The longest payload a shipped procedure can give: every paper with alternatives had
    through its last alternative, every "only when" paper not applying, the longest ids."""
    choices = [i for i, p in enumerate(proc.papers) if p.alternatives]
    skip = {i for i, p in enumerate(proc.papers) if p.when and i not in choices}
    return make_case(
        proc.code,
        len(proc.papers),
        terminal_id="ABCD",
        ticket=Ticket(9999, True),
        needs=frozenset(Need),
        created=datetime(2094, 12, 31, 23, 59, 59),
        have=tuple(i in choices for i in range(len(proc.papers))),
        not_needed=frozenset(skip),
        chosen=frozenset((i, len(proc.papers[i].alternatives) - 1) for i in choices),
    )


def test_shipped_procedures_fit_in_64_characters():
    lengths = {}
    for code, proc in CATALOGUE.procedures.items():
        case = longest_case(proc)
        payload = encode(case, KEY)
        assert decode(payload, KEY, CATALOGUE) == case
        lengths[code] = len(payload)
        assert len(payload) <= 64, code
    longest = max(lengths, key=lengths.get)
    print(f"longest shipped payload: {lengths[longest]} characters ({longest})")


def test_tag_is_at_least_64_bits():
    tag = encode(make_case(), KEY).rsplit("-", 1)[1]
    assert len(tag) * 5 >= 64


def test_every_single_character_change_is_refused():
    payload = encode(make_case(), KEY)
    tried = 0
    for i, original in enumerate(payload):
        for char in sorted(ALPHABET | set(string.ascii_lowercase) | {" ", "+", "*"}):
            if char.upper() == original or (char == " " and i in (0, len(payload) - 1)):
                continue  # same character after upper-casing, or whitespace a scanner adds
            changed = payload[:i] + char + payload[i + 1 :]
            with pytest.raises(PayloadError):
                decode(changed, KEY, CATALOGUE)
            tried += 1
    assert tried > 2000


def test_deleting_or_adding_a_character_is_refused():
    payload = encode(make_case(), KEY)
    for i in range(len(payload)):
        with pytest.raises(PayloadError):
            decode(payload[:i] + payload[i + 1 :], KEY, CATALOGUE)
        with pytest.raises(PayloadError):
            decode(payload[:i] + "0" + payload[i:], KEY, CATALOGUE)


def test_wrong_key_is_refused_with_reason_tag():
    with pytest.raises(PayloadError) as err:
        decode(encode(make_case(), KEY), OTHER_KEY, CATALOGUE)
    assert err.value.reason == "tag"
    assert "signature" in str(err.value)


def test_forged_priority_is_refused_with_reason_tag():
    payload = encode(make_case(priority=Priority.NONE, ticket=Ticket(12, False)), KEY)
    forged = payload.replace("-A12-", "-U12-")
    assert forged != payload
    with pytest.raises(PayloadError) as err:
        decode(forged, KEY, CATALOGUE)
    assert err.value.reason == "tag"


def test_unknown_version_is_refused_with_reason_version():
    payload = encode(make_case(), KEY)
    with pytest.raises(PayloadError) as err:
        decode("H2" + payload[2:], KEY, CATALOGUE)
    assert err.value.reason == "version"


def test_unknown_procedure_is_refused_with_reason_procedure():
    cat = TwelvePapers()
    payload = encode(make_case(cat.proc.code, 12), KEY)
    with pytest.raises(PayloadError) as err:
        decode(payload, KEY, CATALOGUE)
    assert err.value.reason == "procedure"
    assert cat.proc.code in str(err.value)


def test_paper_count_different_from_catalogue_is_refused_with_reason_procedure():
    payload = encode(make_case("1.001193", 5), KEY)
    with pytest.raises(PayloadError) as err:
        decode(payload, KEY, CATALOGUE)
    assert err.value.reason == "procedure"
    assert "papers" in str(err.value)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello", "H1", "H1-T1", "H1-T1-U12-1.001193-605-10C-X-Y-Z", "X" * 500, "Ā", "é-1"],
)
def test_malformed_text_is_refused_with_reason_malformed(text):
    with pytest.raises(PayloadError) as err:
        decode(text, KEY, CATALOGUE)
    assert err.value.reason == "malformed"
    assert str(err.value)


def test_non_text_payload_is_refused():
    with pytest.raises(PayloadError) as err:
        decode(b"H1-T1", KEY, CATALOGUE)  # type: ignore[arg-type]
    assert err.value.reason == "malformed"


def test_lowercase_and_surrounding_whitespace_from_scanners_are_accepted():
    case = make_case()
    payload = encode(case, KEY)
    assert decode(f"  {payload.lower()}\r\n", KEY, CATALOGUE) == case


def test_encode_refuses_a_case_it_cannot_carry():
    with pytest.raises(ValueError):
        encode(make_case(terminal_id="t-1"), KEY)
    with pytest.raises(ValueError):
        encode(make_case(created=datetime(2024, 12, 31)), KEY)
    with pytest.raises(ValueError):
        encode(make_case(papers=36), KEY)
    with pytest.raises(ValueError):
        encode(make_case(), b"short")


def test_same_case_gives_same_payload_and_different_keys_differ():
    assert encode(make_case(), KEY) == encode(make_case(), KEY)
    assert encode(make_case(), KEY) != encode(make_case(), OTHER_KEY)


def test_case_to_dict_is_json_ready():
    data = case_to_dict(make_case())
    assert data["ticket"] == "U-012"
    assert data["needs"] == ["hard_of_hearing", "wheelchair"]
    assert data["created"] == "2026-11-23T09:41:07"


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=120))
def test_decode_never_crashes_on_any_text(text):
    with pytest.raises(PayloadError) as err:
        decode(text, KEY, CATALOGUE)
    assert err.value.reason in PayloadError.REASONS


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=sorted(ALPHABET), max_size=80))
def test_decode_never_crashes_on_text_of_the_payload_alphabet(text):
    with pytest.raises(PayloadError) as err:
        decode("H1-" + text, KEY, CATALOGUE)
    assert err.value.reason in PayloadError.REASONS


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_decode_never_crashes_on_mangled_real_payloads(data):
    payload = encode(make_case(), KEY)
    fields = payload.split("-")
    index = data.draw(st.integers(0, len(fields) - 1))
    fields[index] = data.draw(st.text(alphabet=sorted(ALPHABET - {"-"}), max_size=12))
    mangled = "-".join(fields)
    if mangled == payload:
        return
    with pytest.raises(PayloadError):
        decode(mangled, KEY, CATALOGUE)


# -- several keys (rotation) ----------------------------------------------------------------------

THIRD_KEY = bytes(range(2, 34))


def test_decode_accepts_a_sequence_of_keys_with_the_signing_key_anywhere():
    case = make_case()
    for keys in ([KEY, OTHER_KEY], (OTHER_KEY, KEY), (THIRD_KEY, OTHER_KEY, KEY)):
        assert decode(encode(case, KEY), keys, CATALOGUE) == case


def test_encode_with_a_sequence_signs_with_the_first_key():
    case = make_case()
    assert encode(case, (KEY, OTHER_KEY)) == encode(case, KEY)
    assert encode(case, [OTHER_KEY, KEY]) != encode(case, KEY)


def test_a_payload_signed_with_none_of_the_keys_is_refused_as_tag():
    payload = encode(make_case(), THIRD_KEY)
    with pytest.raises(PayloadError) as err:
        decode(payload, (KEY, OTHER_KEY), CATALOGUE)
    assert err.value.reason == "tag"


def test_a_payload_signed_with_a_retired_key_is_refused_as_expired():
    payload = encode(make_case(), OTHER_KEY)
    with pytest.raises(PayloadError) as err:
        decode(payload, KEY, CATALOGUE, retired=(THIRD_KEY, OTHER_KEY))
    assert err.value.reason == "expired"
    assert "retired centre key" in str(err.value)


def test_a_forged_payload_is_still_a_tag_refusal_when_retired_keys_are_known():
    payload = encode(make_case(), THIRD_KEY)
    with pytest.raises(PayloadError) as err:
        decode(payload, KEY, CATALOGUE, retired=(OTHER_KEY,))
    assert err.value.reason == "tag"


def test_a_key_that_is_accepted_wins_over_the_same_key_listed_as_retired():
    case = make_case()
    assert decode(encode(case, KEY), KEY, CATALOGUE, retired=(KEY,)) == case


@pytest.mark.parametrize("keys", [(), [b"short"], "not bytes", [KEY, "text"], None, 5])
def test_a_bad_key_sequence_is_refused_without_crashing(keys):
    payload = encode(make_case(), KEY)
    with pytest.raises(PayloadError) as err:
        decode(payload, keys, CATALOGUE)  # type: ignore[arg-type]
    assert err.value.reason == "malformed"


def test_encode_refuses_an_empty_key_sequence():
    with pytest.raises(ValueError, match="no centre key"):
        encode(make_case(), ())


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2), st.integers(0, 200))
def test_every_single_character_change_is_refused_with_several_keys(which, position):
    keys = (KEY, OTHER_KEY, THIRD_KEY)
    payload = encode(make_case(), keys[which])
    i = position % len(payload)
    for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.":
        if char == payload[i]:
            continue
        changed = payload[:i] + char + payload[i + 1:]
        with pytest.raises(PayloadError):
            decode(changed, keys, CATALOGUE)


def test_papers_that_do_not_apply_round_trip_and_are_not_missing():
    case = make_case(
        have=(True, False, False, True, False, False, False), not_needed=frozenset({2, 5})
    )
    back = decode(encode(case, KEY), KEY, CATALOGUE)
    assert back == case
    assert back.missing == (1, 4, 6)


def test_without_papers_that_do_not_apply_the_papers_field_has_no_dot():
    payload = encode(make_case(), KEY)
    assert "." not in payload.split("-")[4]


def test_a_paper_both_had_and_not_needed_is_refused():
    with pytest.raises(ValueError):
        encode(make_case(have=(True,) * BIRTH_PAPERS, not_needed=frozenset({0})), KEY)
    good = make_case(have=(False,) * BIRTH_PAPERS, not_needed=frozenset({0}))
    fields = encode(good, KEY).split("-")
    fields[4] = fields[4].split(".")[0][:-1] + "1." + fields[4].split(".")[1]
    with pytest.raises(PayloadError) as err:
        decode("-".join(fields), KEY, CATALOGUE)
    assert err.value.reason == "malformed"


# -- papers any one of several things will do for --------------------------------------------------

BIRTH_ID = 2  # khai sinh: paper 3, "Giấy tờ tùy thân" (căn cước, VNeID mức 2, hộ chiếu, số ĐDCN)
BIRTH_BORN = 1  # khai sinh: paper 2, "Giấy tờ về việc sinh"


def test_the_alternative_the_resident_has_round_trips():
    assert CATALOGUE.procedures["1.001193"].papers[BIRTH_ID].alternatives
    have = tuple(i in (BIRTH_ID, BIRTH_BORN) for i in range(BIRTH_PAPERS))
    case = make_case(have=have, chosen=frozenset({(BIRTH_ID, 1), (BIRTH_BORN, 2)}))
    payload = encode(case, KEY)
    assert payload.split("-")[4].endswith("W1221")
    back = decode(payload, KEY, CATALOGUE)
    assert back == case
    assert back.chosen_for(BIRTH_ID) == 1 and back.chosen_for(0) is None
    assert case_to_dict(back)["chosen"] == {"1": 2, "2": 1}


def test_without_alternatives_the_papers_field_has_no_mark():
    assert "W" not in encode(make_case(), KEY).split("-")[4]


def test_encode_refuses_an_alternative_for_a_paper_not_had_or_two_for_one_paper():
    none_had = (False,) * BIRTH_PAPERS
    with pytest.raises(ValueError):
        encode(make_case(have=none_had, chosen=frozenset({(BIRTH_ID, 0)})), KEY)
    all_had = (True,) * BIRTH_PAPERS
    with pytest.raises(ValueError):
        encode(make_case(have=all_had, chosen=frozenset({(BIRTH_ID, 0), (BIRTH_ID, 1)})), KEY)


def _resigned(payload: str, papers_field: str) -> str:
    """``payload`` with another papers field, signed again (a well-signed but odd payload)."""
    from cases.codec import _tag

    fields = payload.split("-")
    fields[4] = papers_field
    body = "-".join(fields[:-1])
    return body + "-" + _tag(body, KEY)


@pytest.mark.parametrize(
    ("suffix", "reason"),
    [
        ("W", "malformed"),  # the mark with no pair
        ("W2", "malformed"),  # half a pair
        ("W0010", "malformed"),  # paper 0 is not had
        ("W2120", "malformed"),  # not in paper order
        ("W2020", "malformed"),  # the same paper twice
        ("W2!", "malformed"),  # not a base 36 digit
        ("W29", "procedure"),  # no alternative 10 for this paper in the catalogue
    ],
)
def test_odd_alternatives_are_refused_with_a_reason(suffix, reason):
    have = tuple(i in (1, 2) for i in range(BIRTH_PAPERS))
    payload = encode(make_case(have=have), KEY)
    assert decode(_resigned(payload, payload.split("-")[4] + "W1020"), KEY, CATALOGUE).chosen == {
        (1, 0),
        (2, 0),
    }  # the well-formed list, for comparison
    payload = _resigned(payload, payload.split("-")[4] + suffix)
    with pytest.raises(PayloadError) as err:
        decode(payload, KEY, CATALOGUE)
    assert err.value.reason == reason, err.value


def test_an_alternative_for_a_paper_without_alternatives_is_refused_as_procedure():
    have = (True,) * BIRTH_PAPERS
    base = encode(make_case(have=have), KEY)
    payload = _resigned(base, base.split("-")[4] + "W00")  # paper 0 is a form, no alternatives
    with pytest.raises(PayloadError) as err:
        decode(payload, KEY, CATALOGUE)
    assert err.value.reason == "procedure"
def test_ticket_labels_are_unique_in_the_centre_for_a_day():
    """Every terminal 1..9 (priority and ordinary) and the desk, every count of a day: no label
    twice, and every number fits the payload (1..9999)."""
    from cases.case import MAX_SEQUENCE, centre_number

    labels: set[str] = set()
    count = 0
    for origin in range(10):
        for kinds in ((True, False) if origin else (None,)):
            for seq in range(1, MAX_SEQUENCE + 1):
                number = centre_number(origin, seq)
                assert 1 <= number <= 9999
                ticket = (Ticket(number, False, desk=True) if origin == 0
                          else Ticket(number, kinds))
                labels.add(ticket.label)
                count += 1
    assert len(labels) == count == 999 * 19
    assert Ticket(centre_number(1, 5), False).label == "A-105"
    assert Ticket(centre_number(2, 99), True).label == "U-299"
    assert Ticket(centre_number(1, 100), False).label == "A-1100"
    assert Ticket(centre_number(0, 7), True, desk=True).label == "Q-007"


def test_a_centre_ticket_round_trips_and_the_desk_letter_comes_from_the_terminal_id():
    from cases.case import DESK_TERMINAL_ID, centre_number

    case = replace(make_case(), terminal_id="T3", ticket=Ticket(centre_number(3, 999), True))
    assert decode(encode(case, KEY), KEY, CATALOGUE).ticket.label == "U-3999"
    desk = replace(make_case(), terminal_id=DESK_TERMINAL_ID, ticket=Ticket(12, True, True))
    assert decode(encode(desk, KEY), KEY, CATALOGUE).ticket.label == "Q-012"


def test_a_payload_printed_before_centre_labels_still_decodes():
    """A slip from before: ticket 12 of terminal T1, read with the dash."""
    old = encode(replace(make_case(), ticket=Ticket(12, False)), KEY)
    assert "-A12-" in old
    assert decode(old, KEY, CATALOGUE).ticket.label == "A-012"


# -- the centre's services (issue 18) ------------------------------------------------------------


def make_service_case(service: str = "vneid_help", **changes) -> Case:
    return make_case("", 0, have=(), service=service, **changes)


@pytest.mark.parametrize("service", sorted(CATALOGUE.services))
def test_a_service_case_round_trips_by_its_short_code(service):
    case = make_service_case(service)
    payload = encode(case, KEY, CATALOGUE)
    code = CATALOGUE.services[service].code
    assert payload.split("-")[3:5] == [code, "0"]  # the service's code, no papers
    assert decode(payload, KEY, CATALOGUE) == case
    assert set(payload) <= ALPHABET
    assert len(payload) <= 64


@pytest.mark.parametrize("topic", FEEDBACK_TOPICS)
def test_a_feedback_case_carries_its_topic_and_nothing_of_the_resident(topic):
    case = make_service_case("feedback", topic=topic, ticket=Ticket(9999, False))
    payload = encode(case, KEY, CATALOGUE)
    assert payload.split("-")[3] == f"GY.{FEEDBACK_TOPICS.index(topic) + 1}"
    assert decode(payload, KEY, CATALOGUE) == case
    assert case_to_dict(decode(payload, KEY, CATALOGUE))["topic"] == topic


def test_a_call_back_is_a_mark_in_the_payload_never_the_number():
    case = make_service_case("feedback", topic="wrong_data", call_back=True)
    payload = encode(case, KEY, CATALOGUE)
    assert payload.split("-")[3] == "GY.3C"
    assert decode(payload, KEY, CATALOGUE) == case
    with pytest.raises(ValueError):
        encode(make_service_case(call_back=True), KEY, CATALOGUE)  # a call back needs a topic


def test_an_unknown_service_code_is_refused_with_reason_procedure():
    payload = encode(make_service_case(), KEY, CATALOGUE)
    with pytest.raises(PayloadError) as refused:
        decode(payload, KEY, TwelvePapers())  # a catalogue without services
    assert refused.value.reason == "procedure"


def test_a_service_payload_with_papers_or_an_unknown_topic_is_refused():
    body = "H1-T1-A12-GY.9-0-00C-ZKZ5X"
    with pytest.raises(PayloadError) as refused:
        decode(f"{body}-{_tag(body, KEY)}", KEY, CATALOGUE)
    assert refused.value.reason == "malformed"
    body = "H1-T1-A12-VN-10-00C-ZKZ5X"
    with pytest.raises(PayloadError) as refused:
        decode(f"{body}-{_tag(body, KEY)}", KEY, CATALOGUE)
    assert refused.value.reason == "malformed"


def test_encode_refuses_a_service_case_it_cannot_carry():
    with pytest.raises(ValueError):
        encode(make_service_case(), KEY)  # no catalogue: the service's code is unknown
    with pytest.raises(ValueError):
        encode(make_service_case("tea_corner"), KEY, CATALOGUE)
    with pytest.raises(ValueError):
        encode(make_service_case(topic="rude"), KEY, CATALOGUE)
    with pytest.raises(ValueError):
        encode(make_case(procedure_code="GY"), KEY)  # letters alone are a service's code
