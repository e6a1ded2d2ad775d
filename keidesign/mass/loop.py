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
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import openmdao.api as om
from openmdao.recorders.recording_iteration_stack import Recording

__all__ = ["LoopSolver"]


class LoopSolver(om.NonlinearRunOnce):
    """Run once in dependency order; iterate only the strongly connected blocks.

    Attributes:
        blocks: after the first solve, the execution blocks (lists of subsystem names).
        loop_iterations: passes the last solve needed per loop block.
    """

    SOLVER = "NL: LOOP"

    def __init__(self, atol: float = 1e-9, maxiter: int = 30, **kwargs) -> None:
        super().__init__(**kwargs)
        self._atol = atol
        self._maxiter = maxiter
        self.blocks: list[list[str]] | None = None
        self.loop_iterations: list[int] = []

    def _setup_solvers(self, system, depth) -> None:
        super()._setup_solvers(system, depth)
        self.blocks = None

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
            self._start = {n: subs[n]._outputs.asarray(copy=True)
                           for b in self.blocks if len(b) > 1 for n in b if n in subs}
        self.loop_iterations = []
        for block in self.blocks:
            members = [subs[n] for n in block if n in subs]
            if len(block) == 1:
                for s in members:
                    self._run(system, s)
                continue
            for s in members:
                s._outputs.asarray()[:] = self._start[s.name]
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
                raise om.AnalysisError(
                    f"{system.msginfo}: loop {block} not converged in {self._maxiter} "
                    f"passes (largest output change {change:.3g})")

    def solve(self) -> None:
        """Run the blocks (see the class docstring)."""
        with Recording("LoopSolver", 0, self) as rec:
            self._gs_iter()
            rec.abs = 0.0
            rec.rel = 0.0
