"""keidesign: vehicle-design constraint explorer for US-compliant kei cars."""

import os as _os

__version__ = "0.1.0"

# The compiled kernels (crash pulse, US06) cache their machine code on disk. numba's
# default puts the cache next to the module, i.e. inside site-packages for a regular
# install, where it outlives an uninstall and leaves a `keidesign/` namespace directory
# that shadows a later editable install. Keep it in the user cache folder instead
# (a user's own NUMBA_CACHE_DIR wins).
NUMBA_CACHE_DIR = _os.environ.get("NUMBA_CACHE_DIR") or _os.path.join(
    _os.environ.get("XDG_CACHE_HOME") or _os.path.join(_os.path.expanduser("~"), ".cache"),
    "keidesign", "numba")
_os.environ.setdefault("NUMBA_CACHE_DIR", NUMBA_CACHE_DIR)
