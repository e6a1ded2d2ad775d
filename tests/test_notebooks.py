"""The review notebooks run top to bottom (small settings) and are stored without outputs.

Each notebook is executed with nbclient in a fresh kernel, in a temporary folder, with
pyvista off-screen and its static Jupyter backend (CI has no display and no browser).
``pytest --nbmake notebooks/`` runs them too (from the notebooks folder).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TIMEOUT_S = 240          # per cell; the whole notebook takes far less
#: a statement that makes one figure (``keidesign.review.plots``), at a line's start
FIGURE_CALL = re.compile(r"(?m)^\s*(?:\w+\s*=\s*)?plots\.\w+\(")


def test_five_notebooks():
    names = [p.stem for p in NOTEBOOKS]
    assert names == ["01_quickstart", "02_design_review", "03_ev_range_cost",
                     "04_fleet_compatibility", "05_kei_truck"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {cell.id} has stored outputs"
            assert cell.execution_count is None, f"{path.name}: cell {cell.id} was executed"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, tmp_path, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("PYVISTA_OFF_SCREEN", "true")
    monkeypatch.setenv("PYVISTA_JUPYTER_BACKEND", "static")
    monkeypatch.setenv("OPENMDAO_REPORTS", "0")
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    t0 = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - t0
    print(f"{path.name}: {elapsed:.1f} s")
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert images, f"{path.name} showed no picture"
    # every figure a cell makes is shown: IPython turns matplotlib's interactive mode on
    # inside the first figure maker, whose rcParams restore turned it off again, and no
    # later figure of the kernel was shown (notebook 02's frontal crash cell, review s29d)
    for cell in nb.cells:
        if cell.cell_type == "code":
            made = len(FIGURE_CALL.findall(cell.source))
            shown = sum("image/png" in o.get("data", {}) for o in cell.outputs)
            assert shown >= made, (f"{path.name}: cell {cell.id} makes {made} figure(s), "
                                   f"shows {shown}: {cell.source[:80]!r}")
