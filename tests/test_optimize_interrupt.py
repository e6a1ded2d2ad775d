"""A Ctrl-C of a multi-start `keidesign optimize` keeps the finished starts and says so
(task s37i: it said 'the results in OUT/ are incomplete. Run again with --overwrite.',
with starts.csv written only after the last start)."""

from __future__ import annotations

from pathlib import Path

import pytest

from keidesign.studies.optimize import StartResult, _optimize, interrupted_text, start_points
from keidesign.studies.spec import load_study

STUDY = Path(__file__).resolve().parents[1] / "studies" / "tallboy_ice_min_mass.toml"


class _StopsAfterOne:
    """A runner whose first start comes back, then the user presses Ctrl-C."""

    description = "fake"

    def map_unordered(self, fn, tasks):
        study, i, combo, pt = tasks[0]
        yield 0, StartResult(i, dict(combo), dict(pt), True, True, "SUCCESS: done", 885.3,
                             dict(pt), 25, 24, 38.6, recording=b"sqlite bytes")
        raise KeyboardInterrupt


def test_finished_starts_are_on_disk_when_interrupted(tmp_path):
    study = load_study(STUDY, ['variable.8.values=["dp_780"]', "driver.multistart=2"])
    assert len(start_points(study)) == 3
    with pytest.raises(KeyboardInterrupt):
        _optimize(study, tmp_path, runner=_StopsAfterOne(), reports=False, step=False,
                  trade=False, progress=False)
    rows = (tmp_path / "starts.csv").read_text().splitlines()
    assert len(rows) == 2 and rows[0].startswith("start,success,feasible,objective [kg],")
    assert rows[1].startswith("0,True,True,885.3,25,24,")
    assert (tmp_path / "runs" / "start_000.sql").read_bytes() == b"sqlite bytes"
    text = interrupted_text(tmp_path, 3, "res")
    assert text == ("keidesign: interrupted; 1 of 3 starts finished: res/starts.csv "
                    "(objective, success, feasible, point of each) and "
                    "res/runs/start_*.sql (om.CaseReader); no optimum was written. "
                    "`optimize` does not resume: run again with --overwrite.")


def test_interrupted_before_any_start(tmp_path):
    assert interrupted_text(tmp_path, 4) == (
        "keidesign: interrupted; no start of 4 had finished; nothing to keep. `optimize` "
        "does not resume: run again with --overwrite.")


def test_closing_a_busy_cluster_logs_no_nanny_warning(capfd):
    """A Ctrl-C during a LocalCluster optimize (starts of 10-40 s, task s37i) printed
    'distributed.nanny - WARNING - Worker process still alive after 4.0 seconds, killing'
    under the one 'interrupted' line: the cluster's close kills the busy worker."""
    import logging

    from keidesign.studies.runner import DaskRunner

    class _Cluster:
        def close(self):
            logging.getLogger("distributed.nanny").warning(
                "Worker process still alive after 4.0 seconds, killing")

    runner = DaskRunner.__new__(DaskRunner)
    runner._ready, runner._client, runner._cluster = None, None, _Cluster()
    handler = logging.StreamHandler()   # as Dask's own handler on 'distributed'
    log = logging.getLogger("distributed")
    log.addHandler(handler)
    try:
        runner.close()
        logging.getLogger("distributed.nanny").warning("after the close: shown")
    finally:
        log.removeHandler(handler)
    err = capfd.readouterr().err
    assert "still alive" not in err
    assert "after the close: shown" in err
