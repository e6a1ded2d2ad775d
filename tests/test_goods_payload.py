"""A goods vehicle's payload holds at least its seated occupants (5 Dec 2026): its
maximum load, mass:cargo = payload - 55 kg x seats, and the 28 % of it in the goods
WLTC test mass were negative below (plausibility sweep, ``benchmarks/plausibility.py``:
``payload_0`` gave mass:cargo = -110 kg on the kei trucks)."""
from __future__ import annotations

import re

import pytest
from conftest import DESIGNS

from keidesign.design import parse_design
from keidesign.errors import InputError

TRUCK = (DESIGNS / "carry_class.toml").read_text(encoding="utf-8")


def _with_payload(text: str, kg: float) -> str:
    return re.sub(r"(?m)^payload = .*$", f"payload = {kg:g}", text)


def test_goods_payload_below_the_crew_is_one_clear_line():
    with pytest.raises(InputError) as e:
        parse_design(_with_payload(TRUCK, 100.0), "truck.toml")
    msg = str(e.value)
    assert "\n" not in msg
    assert msg.startswith("truck.toml: mass.payload = 100 kg")
    assert "body.use = 'goods'" in msg and ">= 110 kg" in msg


def test_goods_payload_of_the_crew_alone_is_accepted():
    d = parse_design(_with_payload(TRUCK, 110.0))
    assert d["mass:payload"] == 110.0 and d["body:use"] == "goods"


def test_passenger_payload_stays_free():
    """A passenger car's payload is the GVW's only (the crash test mass handles a payload
    below its occupants, tests/test_batch_crash.py): no new bound there."""
    text = (DESIGNS / "alto_class.toml").read_text(encoding="utf-8")
    assert parse_design(_with_payload(text, 0.0))["mass:payload"] == 0.0
