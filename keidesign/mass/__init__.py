"""Mass discipline: curb-mass build-up by part group (mass & cost issue).

Hook :func:`add_subsystems` adds, promoted ``*``:

* ``mass`` (:class:`~keidesign.mass.components.MassGroup`): body structure from the
  opaque envelope area + the crash members of the crash discipline, closures, glazing,
  interior, wheels, electrical, powertrain, battery, fuel, US content, and the chassis
  scaled with the gross mass; the curb mass is implicit (Newton + DirectSolver inside
  the group);
(The cost model, :mod:`keidesign.costing`, is the model's next hook; it reads the mass
results and imports only the mass data tables.)

**Solvers it sets on the vehicle group** (the house rule: a discipline that closes a loop
says so): ``mass:crash_structure`` is computed by crash components that run after this
discipline and read ``mass:curb``. The hook puts :class:`~keidesign.mass.loop.LoopSolver`
(dependency-ordered run with Gauss-Seidel on the strongly connected block only) as the
nonlinear solver and ``LinearBlockGS`` as the linear solver of ``group``.

Batched (``n_cases > 1`` on ``group``, :mod:`keidesign.batch`): every component gets
``n_cases``; the loop solver converges all cases together (case by case: each case
stops at the pass where the scalar solver would, see :mod:`keidesign.mass.loop`) and
the linear solver is ``LinearRunOnce`` (no partials in a batched model).

"""

from __future__ import annotations

from openmdao.core.group import Group
from openmdao.solvers.linear.linear_block_gs import LinearBlockGS
from openmdao.solvers.linear.linear_runonce import LinearRunOnce

from keidesign import batch
from keidesign.mass.components import (
    BodyMassComp,
    CurbMassComp,
    MassGroup,
    MassSummaryComp,
    PowertrainMassComp,
)
from keidesign.mass.data import fitted_content
from keidesign.mass.loop import LoopSolver

__all__ = ["BodyMassComp", "CurbMassComp", "LoopSolver", "MassGroup",
           "MassSummaryComp", "PowertrainMassComp", "add_subsystems", "set_loop_solvers"]


def set_loop_solvers(group: Group) -> None:
    """Solvers for the mass <-> crash-structure loop on the vehicle group."""
    group.nonlinear_solver = LoopSolver(atol=1e-9, maxiter=30)
    if batch.batched(group):
        group.linear_solver = LinearRunOnce()
        return
    group.linear_solver = LinearBlockGS(maxiter=50, atol=1e-12, rtol=1e-12, iprint=-1,
                                        err_on_non_converge=True)


def add_subsystems(group: Group, design, packs=()) -> None:
    """Model hook: the mass build-up of one design and the loop solvers (see module doc)."""
    content = fitted_content(design)
    group.add_subsystem("mass", MassGroup(design=design, content=content,
                                          n_cases=batch.n_cases(group)),
                        promotes=["*"])
    set_loop_solvers(group)
