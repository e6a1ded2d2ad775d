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

The shipped function stays the one implementation: :func:`modes` swaps, for its
duration, calibration's ``hev_compression_ratio`` (every engine at the reference) and
``hev_pack_params`` (no per-row pack) that ``predict_hev`` calls; with the shipped modes
nothing is swapped (``tests/test_hybrid_compression.py``, ``tests/test_hev_battery.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from types import SimpleNamespace
from unittest import mock

from keidesign.energy import calibration as cal
from keidesign.energy import testcars as tc
from keidesign.validation import fueleconomy as fe

#: Engine-ratio modes of the EPA hybrid rows (the second is the shipped model's).
HEV_COMPRESSION = ("reference", "published")
#: Traction-pack modes of the EPA hybrid rows (the second is the shipped model's).
HEV_PACKS = ("assumed", "published")
#: The shipped functions (taken at import, before any patch).
SHIPPED = SimpleNamespace(hev_compression_ratio=cal.hev_compression_ratio,
                          hev_pack_params=cal.hev_pack_params)


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
