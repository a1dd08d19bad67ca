"""Character widths, with the ``wcwidth`` package loaded at the first one that is not ASCII.

Importing ``wcwidth`` costs ~10 ms of CPU (its tables, regular expressions, and
``secrets``/``hmac``/``random`` for its text wrapper): a tenth of the server's start-up, on
the path of every cold ``new-session`` (issue 17), though a session's first screen is
usually all ASCII. An ASCII character's width is fixed (wcwidth gives 0 for NUL, -1 for
the other C0 controls and DEL, 1 for the 95 printable ones, whatever the Unicode version),
so :func:`char_width` answers those from a table and imports ``wcwidth`` for any other
input, once.

pyte's ``screens`` module imports ``wcwidth`` at its top and wraps the function it takes
in its own cache (``pyte.screens.wcwidth``, which the emulator uses). :func:`install`
(called by this package's ``__init__``) puts a finder first on ``sys.meta_path`` that
waits for ``pyte.screens``'s import: that module then runs while
``sys.modules["wcwidth"]`` holds a stand-in whose only name is :func:`char_width`, taken
out again when it is done. So pyte's function is :func:`char_width`, and the next ``import
wcwidth`` (this module's, or anyone's) loads the real package. Nothing imports pyte here:
the CLI imports this package's key and style modules and never pyte.

Invariants: :func:`char_width` and :data:`wcwidth` return exactly what
``wcwidth.wcwidth`` returns for every argument (a test checks every ASCII character); the
stand-in is in ``sys.modules`` only while ``pyte.screens`` runs, and only when ``wcwidth``
was not imported before (then pyte takes the real function, as usual); the finder leaves
``sys.meta_path`` at pyte's import (it finds nothing itself: the finders after it do).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec

ASCII_WIDTHS = (0, *(-1,) * 31, *(1,) * 95, -1)
"""``wcwidth.wcwidth(chr(code))`` for every ASCII code."""

_real: Callable[..., int] | None = None


def char_width(wc: str, *args: Any, **kwargs: Any) -> int:
    """``wcwidth.wcwidth(wc, *args, **kwargs)``: the cells ``wc`` takes (-1: a control)."""
    global _real
    if not args and not kwargs and type(wc) is str and len(wc) == 1 and wc <= "\x7f":
        return ASCII_WIDTHS[ord(wc)]
    if _real is None:
        from wcwidth import wcwidth as real

        _real = real
    return _real(wc, *args, **kwargs)


wcwidth: Callable[[str], int] = lru_cache(maxsize=4096)(char_width)
""":func:`char_width` behind a cache, for the callers of one character at a time."""


class _PyteScreensFinder:
    """First on ``sys.meta_path`` until ``pyte.screens`` is imported (see above)."""

    def find_spec(self, name: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if name != "pyte.screens":
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        if "wcwidth" in sys.modules:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find is not None else None
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _WithStandIn(spec.loader)
                return spec  # type: ignore[no-any-return]
        return None


class _WithStandIn:
    """A loader that runs the module with the ``wcwidth`` stand-in in ``sys.modules``
    (everything else is the wrapped loader's)."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)  # type: ignore[no-any-return]

    def exec_module(self, module: ModuleType) -> None:
        stand_in = ModuleType("wcwidth", "char_width until the real wcwidth is needed")
        stand_in.wcwidth = char_width  # type: ignore[attr-defined]
        sys.modules["wcwidth"] = stand_in
        try:
            self.loader.exec_module(module)
        finally:
            if sys.modules.get("wcwidth") is stand_in:
                del sys.modules["wcwidth"]


_FINDER = _PyteScreensFinder()


def install() -> None:
    """Have pyte take :func:`char_width` when it is imported (unless it already was)."""
    if "pyte.screens" not in sys.modules and "wcwidth" not in sys.modules \
            and _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
