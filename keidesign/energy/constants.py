"""The energy-model constants as the kernels use them (from ``calibration.toml``).

``calibration.toml`` is written by ``python -m keidesign.energy.calibration --write``:
fitted constants are marked FITTED there, the others are assumptions with their source.
This module only reshapes them into the dictionaries the kernels of
:mod:`keidesign.energy.powertrains` and :mod:`keidesign.energy.performance` read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import Any

from keidesign.energy.roadload import load_constants

__all__ = ["bev_constants", "held", "hev_constants", "ice_constants", "kernel_sections",
           "perf_constants"]


def _eps() -> float:
    return float(load_constants()["roadload"]["smoothing_w"])


@cache
def ice_constants() -> dict[str, Any]:
    """``[ice]`` constants plus the smoothing power ``eps_w`` (W)."""
    c = dict(load_constants()["ice"])
    c.pop("fit", None)
    c["eta_tr"] = dict(c["eta_tr"])
    c["eps_w"] = _eps()
    return c


@cache
def bev_constants() -> dict[str, Any]:
    c = dict(load_constants()["bev"])
    c.pop("fit", None)
    c["eps_w"] = _eps()
    return c


@cache
def hev_constants() -> dict[str, Any]:
    return dict(load_constants()["hev"])


@cache
def perf_constants() -> dict[str, Any]:
    c = dict(load_constants()["performance"])
    c["g"] = float(load_constants()["roadload"]["g"])
    return c


def kernel_sections(c: dict[str, Any]) -> dict[str, Any]:
    """Kernel dictionaries from a ``calibration.toml``-shaped dict (e.g. a fresh fit)."""
    eps = float(c["roadload"]["smoothing_w"])
    ice = {k: v for k, v in c["ice"].items() if k != "fit"}
    ice["eta_tr"] = dict(ice["eta_tr"])
    ice["eps_w"] = eps
    bev = {k: v for k, v in c["bev"].items() if k != "fit"}
    bev["eps_w"] = eps
    return {"ice": ice, "bev": bev, "hev": dict(c["hev"]), "wltc": dict(c["wltc"])}


@contextmanager
def held(ice: Mapping[str, Any] | None = None,
         bev: Mapping[str, Any] | None = None) -> Iterator[None]:
    """Models built and run inside the block see these ``[ice]`` / ``[bev]`` constants
    (replacing the stored ones key by key); the stored ones are back on exit.

    For hold-out validation: the whole model evaluated with the constants refitted
    without a car's family (:mod:`keidesign.validation.specsonly`). The model reads the
    constants at compute time, so a problem must be built and run inside the block.
    """
    saved = []
    try:
        for fn, new in ((ice_constants, ice), (bev_constants, bev)):
            if new:
                d = fn()
                saved.append((d, dict(d)))
                d.update(new)
        yield
    finally:
        for d, old in saved:
            d.clear()
            d.update(old)
