"""hotro: cases: the case a visit produces, its signed QR payload, the centre key, the journal."""

from cases.case import Case, Delivery, Need, Priority, Ticket
from cases.codec import PayloadError, decode, encode
from cases.keys import KeyFileError, init_key, load_key

__all__ = [
    "Case",
    "Delivery",
    "KeyFileError",
    "Need",
    "PayloadError",
    "Priority",
    "Ticket",
    "decode",
    "encode",
    "init_key",
    "load_key",
]
