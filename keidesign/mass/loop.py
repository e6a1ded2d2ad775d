"""Solver for the structure-mass loop: block Gauss-Seidel in dependency order.

The curb mass needs ``mass:crash_structure``; the crash components that compute it sit
after the mass discipline and need ``mass:curb`` (test masses). On the vehicle group this
is a strongly connected block {mass, crash test mass, front/side/roof structure, crash
mass}. A plain ``NonlinearBlockGS`` on the group would re-run *every* subsystem on each
pass, the 56 km/h pulse simulation (about 0.2 s) and the drive cycles included.

:class:`LoopSolver` runs the group's subsystems once, in the order of the condensation
of its dependency graph (ties kept in the order they were added): a subsystem outside a
loop runs once, after everything it depends on; each strongly connected block is iterated
(Gauss-Seidel, in its members' order), always from the same starting outputs, until the
largest change of its members' outputs is below ``atol`` (absolute, in the outputs'
units): the result is a function of the inputs only, not of the previous point. With
the linear feedback of this model (the crash members' masses do not depend on the curb
mass) the block converges in three passes; then the pulse, compatibility, energy and
compliance components run once on the converged masses. The result equals
``NonlinearBlockGS`` on the whole group (tested in ``tests/test_mass.py``).

The linear (derivative) side uses ``LinearBlockGS`` on the group, set by the hook.

Complex step of the whole problem (``check_totals(method="cs")``, task s38a): the passes
run on the complex outputs as they are (the start outputs, real, restart each block with
a zero imaginary part; the change test is on the complex modulus, which a step of 1e-30
leaves the real part's), so the imaginary part follows the same Gauss-Seidel passes and
converges with the real one (the feedback is linear: the crash members' masses do not
depend on the curb mass). Study (a): complex-step totals equal the analytic ones to
5.4e-13 at its optimum. The mass group inside needs complex linear vectors for its Newton
step (``force_alloc_complex``; :class:`keidesign.mass.components.ComplexSafeNewton`
raises without them).

Batched group (``n_cases = n > 1``, :mod:`keidesign.batch`): a loop block runs its
passes on all ``n`` cases at once, and the convergence test is made case by case: the
change of case ``i`` is the largest change of the entries of case ``i`` (element ``i`` of
an ``(n,)`` variable, row ``i`` of an ``(n, ...)`` one) and of the entries shared by all
cases (a variable whose first dimension is not ``n``). Case ``i`` is converged at the
first pass ``k > 1`` with ``change_i <= atol``, the pass where the scalar solver stops;
its members' outputs and inputs of that pass are kept (later passes, run for the other
cases, are undone for it), so each case gets the scalar solver's iterates and result.
The block stops when every case has converged; ``case_iterations`` holds the passes per
case, ``loop_iterations`` their maximum. As in the scalar solver, a case not converged
after ``maxiter`` passes raises ``AnalysisError`` (for the whole batch), and a case gone
NaN does not.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from openmdao.core.analysis_error import AnalysisError
from openmdao.recorders.recording_iteration_stack import Recording
from openmdao.solvers.nonlinear.nonlinear_runonce import NonlinearRunOnce

from keidesign import batch

__all__ = ["LoopSolver"]


class LoopSolver(NonlinearRunOnce):
    """Run once in dependency order; iterate only the strongly connected blocks.

    Attributes:
        blocks: after the first solve, the execution blocks (lists of subsystem names).
        loop_iterations: passes the last solve needed per loop block (batched: the most
            any case needed).
        case_iterations: batched group only, per loop block: passes per case, shape (n,).
    """

    SOLVER = "NL: LOOP"

    def __init__(self, atol: float = 1e-9, maxiter: int = 30, **kwargs) -> None:
        super().__init__(**kwargs)
        self._atol = atol
        self._maxiter = maxiter
        self.blocks: list[list[str]] | None = None
        self.loop_iterations: list[int] = []
        self.case_iterations: list[np.ndarray] = []
        self._case_index: dict[tuple[str, str], np.ndarray] = {}

    def _setup_solvers(self, system, depth) -> None:
        super()._setup_solvers(system, depth)
        self.blocks = None
        self._case_index = {}

    def _compute_blocks(self, system) -> list[list[str]]:
        names = [s.name for s in system._all_subsystem_iter()]
        order = {n: i for i, n in enumerate(names)}
        graph = system.compute_sys_graph().subgraph(names)
        sccs = list(nx.strongly_connected_components(graph))
        cond = nx.condensation(graph, sccs)
        topo = nx.lexicographical_topological_sort(
            cond, key=lambda k: min(order[n] for n in cond.nodes[k]["members"]))
        return [sorted(cond.nodes[k]["members"], key=order.get) for k in topo]

    def _run(self, system, subsys) -> None:
        system._transfer("nonlinear", "fwd", subsys.name)
        if subsys._is_local:
            subsys._solve_nonlinear()

    def _gs_iter(self) -> None:
        system = self._system()
        subs = {s.name: s for s in system._relevance.filter(system._all_subsystem_iter())}
        if self.blocks is None:
            self.blocks = self._compute_blocks(system)
            # each loop block restarts from these outputs on every solve, so a result
            # does not depend on the previous point (a sweep on Dask workers gives the
            # serial run's numbers exactly, whatever order the cases run in)
            # (of every member, not only those relevant to this first solve: a later
            # solve, e.g. of another objective's relevance, may run the others)
            every = {s.name: s for s in system._all_subsystem_iter()}
            self._start = {n: every[n]._outputs.asarray(copy=True)
                           for b in self.blocks if len(b) > 1 for n in b if n in every}
        self.loop_iterations = []
        self.case_iterations = []
        n_cases = batch.n_cases(system)
        for block in self.blocks:
            members = [subs[n] for n in block if n in subs]
            if len(block) == 1:
                for s in members:
                    self._run(system, s)
                continue
            for s in members:
                s._outputs.asarray()[:] = self._start[s.name]
            if n_cases > 1:
                self._iterate_cases(system, block, members, n_cases)
                continue
            change = np.inf
            for it in range(1, self._maxiter + 1):
                before = [s._outputs.asarray(copy=True) for s in members]
                for s in members:
                    self._run(system, s)
                change = max((float(np.max(np.abs(s._outputs.asarray() - b), initial=0.0))
                              for s, b in zip(members, before, strict=True)), default=0.0)
                if it > 1 and change <= self._atol:
                    break
            self.loop_iterations.append(it)
            if change > self._atol:
                raise AnalysisError(
                    f"{system.msginfo}: loop {block} not converged in {self._maxiter} "
                    f"passes (largest output change {change:.3g})")

    def _cases_of(self, s, kind: str, n: int) -> np.ndarray:
        """Case of each entry of ``s``'s ``kind`` ("input"/"output") vector: ``i`` for
        the entries of case ``i``, ``n`` for entries shared by all cases (cached)."""
        key = (s.pathname, kind)
        idx = self._case_index.get(key)
        if idx is None:
            vec = s._outputs if kind == "output" else s._inputs
            idx = np.full(vec.asarray().size, n, dtype=np.intp)
            for vinfo in vec._views.values():
                start, end = vinfo.range
                shape = vinfo.shape
                if len(shape) > 0 and shape[0] == n and end > start:
                    idx[start:end] = np.repeat(np.arange(n), (end - start) // n)
            self._case_index[key] = idx
        return idx

    def _iterate_cases(self, system, block: list[str], members: list, n: int) -> None:
        """Gauss-Seidel passes of a loop block of a batched group, converged per case
        (see the module docstring)."""
        vecs = [(s, kind, s._outputs if kind == "output" else s._inputs)
                for s in members for kind in ("output", "input")]
        cases = {(s.name, kind): self._cases_of(s, kind, n) for s, kind, _ in vecs}
        kept = {(s.name, kind): v.asarray(copy=True) for s, kind, v in vecs}
        done = np.zeros(n + 1, dtype=bool)  # last slot: the shared entries, never frozen
        passes = np.zeros(n, dtype=int)
        change = np.full(n, np.inf)
        for it in range(1, self._maxiter + 1):
            before = [s._outputs.asarray(copy=True) for s in members]
            for s in members:
                self._run(system, s)
            per_case = np.zeros(n + 1)
            for s, b in zip(members, before, strict=True):
                np.maximum.at(per_case, cases[(s.name, "output")],
                              np.abs(s._outputs.asarray() - b))
            change = np.maximum(per_case[:n], per_case[n])
            if it == 1:
                continue
            new = ~done[:n] & (change <= self._atol)
            if new.any():
                passes[new] = it
                done[:n] |= new
                new_x = np.append(new, False)
                for s, kind, v in vecs:
                    mask = new_x[cases[(s.name, kind)]]
                    kept[(s.name, kind)][mask] = v.asarray()[mask]
            if done[:n].all():
                break
        # cases converged before the last pass: back to their converged pass
        for s, kind, v in vecs:
            mask = done[cases[(s.name, kind)]]
            v.asarray()[mask] = kept[(s.name, kind)][mask]
        passes[~done[:n]] = it
        self.case_iterations.append(passes)
        self.loop_iterations.append(int(passes.max()))
        # as the scalar test ``change > atol``: a case gone NaN runs out its passes and
        # keeps its last values, without an error
        bad = np.flatnonzero(~done[:n] & (change > self._atol))
        if bad.size:
            raise AnalysisError(
                f"{system.msginfo}: loop {block} not converged in {self._maxiter} passes "
                f"for {bad.size} case(s) (first: {bad[:10].tolist()}; largest output "
                f"change {float(np.max(change[bad])):.3g})")

    def solve(self) -> None:
        """Run the blocks (see the class docstring)."""
        with Recording("LoopSolver", 0, self) as rec:
            self._gs_iter()
            rec.abs = 0.0
            rec.rel = 0.0
