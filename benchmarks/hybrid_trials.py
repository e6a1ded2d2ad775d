"""The EPA hybrid rows' engine ratio and traction pack before 4 Dec 2026 (tried against
the published ones, not kept): the modes the probes ``hybrids``, ``hybrid_compression``,
``hybrid_battery``, ``hybrid_battery_lofo`` and the EV-loss probe compare, kept out of
the shipped calibration (:func:`keidesign.energy.calibration.predict_hev`, which runs
every row at its published engine ratio and, where published, its own pack;
docs/energy.md section 5, docs/validation.md).

* **Compression** (:data:`HEV_COMPRESSION`): ``reference`` runs every hybrid engine at
  :data:`keidesign.energy.powertrains.COMPRESSION_RATIO_REF` (as the conventional EPA
  rows; the model before 4 Dec 2026), ``published`` (shipped) at the row's
  ``hybrid_systems.csv`` ratio (an Atkinson engine's geometric ratio is its expansion
  ratio, which sets its cycle efficiency: Heywood 1988 ch. 5 [R]).
* **Pack** (:data:`HEV_PACKS`): ``assumed`` runs every row on the ``[hev]`` pack
  (``v_oc``, ``r_b``) without a power limit (before 4 Dec 2026), ``published`` (shipped)
  a row's own voltage, cell count and per-cell resistance with the matched-load limit
  ``V^2 / 4R`` (:func:`keidesign.energy.powertrains.hev_pack`).
* **Electric-drive rule of a full layout** (:data:`FULL_RULES`): ``willans`` (before
  4 Dec 2026) drives electrically where ``P_w <= (P_0(w) + P_acc) / (1 / eta_gen^2 -
  1 / eta_tr)`` (W; the equivalent-consumption comparison with the Willans engine and
  the electric path priced at ``eta_gen^2`` alone, :func:`willans_cheaper`); ``exact``
  (shipped, :func:`keidesign.energy.powertrains._electric_cheaper`) prices it with every
  loss the model books (gear, motor + inverter loss map, battery resistance). Paganelli
  et al., IEEE VTC 2002; Guzzella & Sciarretta 2013 ch. 7 [R]. A mild layout never
  drives electrically, so the rule leaves it bit-identical.

The shipped function stays the one implementation: :func:`modes` swaps, for its
duration, calibration's ``hev_compression_ratio`` (every engine at the reference) and
``hev_pack_params`` (no per-row pack) that ``predict_hev`` calls; with the shipped modes
nothing is swapped (``tests/test_hybrid_compression.py``, ``tests/test_hev_battery.py``).
:func:`full_rule` swaps the kernel's electric-drive decision
(``powertrains._electric_cheaper``) for :func:`willans_cheaper`
(``tests/test_full_rule.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from types import SimpleNamespace
from unittest import mock

import numpy as np

from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc
from keidesign.validation import fueleconomy as fe

#: Engine-ratio modes of the EPA hybrid rows (the second is the shipped model's).
HEV_COMPRESSION = ("reference", "published")
#: Traction-pack modes of the EPA hybrid rows (the second is the shipped model's).
HEV_PACKS = ("assumed", "published")
#: Electric-drive rules of a full layout (the second is the shipped model's).
FULL_RULES = ("willans", "exact")
#: The shipped functions (taken at import, before any patch).
SHIPPED = SimpleNamespace(hev_compression_ratio=cal.hev_compression_ratio,
                          hev_pack_params=cal.hev_pack_params,
                          electric_cheaper=pt._electric_cheaper)


def willans_cheaper(pw: np.ndarray, vb: np.ndarray, w: object, w_g: object,
                    p_0: np.ndarray, x: dict, trans: str, c_ice: dict, c_bev: dict,
                    c_hev: dict, k_m: object, t_m: object, pack: object = None
                    ) -> np.ndarray:
    """The closed-form electric-drive threshold (``willans``, module docstring), with the
    signature of the shipped rule it replaces: True where the wheel power ``pw`` (W,
    real) is at most ``(P_0 + P_acc) / (1 / eta_gen^2 - 1 / eta_tr)`` (``p_0`` the real
    Willans friction power, W)."""
    eta = pt.transmission_efficiency(c_ice, trans)
    k_ev = 1.0 / (1.0 / c_hev["eta_gen"] ** 2 - 1.0 / eta)
    return pw <= k_ev * (p_0 + c_ice["acc_kw"] * 1e3)


@contextmanager
def full_rule(rule: str = "exact") -> Iterator[None]:
    """For the ``with`` block: the full layouts' electric-drive rule ``rule``
    (:data:`FULL_RULES`; ``exact`` swaps nothing)."""
    if rule not in FULL_RULES:
        raise ValueError(f"full_rule {rule!r}: one of {FULL_RULES}")
    if rule == "exact":
        yield
        return
    with mock.patch.object(pt, "_electric_cheaper", willans_cheaper):
        yield


def hev_compression_ratio(system: tc.HybridSystem, how: str = "published") -> float:
    """The ratio a hybrid row's engine runs at in mode ``how`` (:data:`HEV_COMPRESSION`;
    0 = the NA class default, the reference)."""
    if how not in HEV_COMPRESSION:
        raise ValueError(f"compression {how!r}: one of {HEV_COMPRESSION}")
    return SHIPPED.hev_compression_ratio(system) if how == "published" else 0.0


@contextmanager
def modes(compression: str = "published", pack: str = "published") -> Iterator[None]:
    """For the ``with`` block: calibration's hybrid rows in the modes ``compression``
    (:data:`HEV_COMPRESSION`) and ``pack`` (:data:`HEV_PACKS`); the shipped modes swap
    nothing."""
    if compression not in HEV_COMPRESSION:
        raise ValueError(f"compression {compression!r}: one of {HEV_COMPRESSION}")
    if pack not in HEV_PACKS:
        raise ValueError(f"pack {pack!r}: one of {HEV_PACKS}")
    with ExitStack() as stack:
        if compression == "reference":
            stack.enter_context(mock.patch.object(cal, "hev_compression_ratio",
                                                  lambda system: 0.0))
        if pack == "assumed":
            stack.enter_context(mock.patch.object(cal, "hev_pack_params",
                                                  lambda systems: {}))
        yield


def predict_hev(cars: list, c: dict, fit: dict, bev: dict, systems: list,
                compression: str = "published", reduction: bool = True,
                pack: str = "published") -> dict:
    """:func:`keidesign.energy.calibration.predict_hev` in the modes ``compression``,
    ``pack`` (:func:`modes`)."""
    with modes(compression, pack):
        return cal.predict_hev(cars, c, fit, bev, systems, reduction=reduction)


def hybrid_lofo(cars: Sequence, systems: Sequence, c: dict, res: dict,
                compression: str = "published", pack: str = "published") -> fe.Comparison:
    """:func:`keidesign.validation.fueleconomy.hybrid_lofo` in the modes ``compression``,
    ``pack`` (:func:`modes`)."""
    with modes(compression, pack):
        return fe.hybrid_lofo(cars, systems, c, res)
