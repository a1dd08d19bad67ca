"""Mouse reports as xterm sends them and as tmux 3.3a reads and passes them on.

A report is a button code (``MOUSE_BUTTONS`` 0-2 for the buttons, 3 for a release, 64/65
the wheel; +4 Shift, +8 Meta, +16 Ctrl, +32 motion) at a cell, and with SGR reports press
(``M``) or release (``m``): :class:`RawMouse`. :func:`encode_report` is tmux's
``input_key_get_mouse``: what a pane whose program asked for the mouse (modes 1000, 1002,
1003; SGR 1006) gets. Headless, shared by the client and the server.
"""

from __future__ import annotations

from dataclasses import dataclass

MASK_SHIFT, MASK_META, MASK_CTRL, MASK_DRAG = 4, 8, 16, 32
MASK_BUTTONS = 195
WHEEL_UP, WHEEL_DOWN = 64, 65


def buttons(code: int) -> int:
    """tmux's ``MOUSE_BUTTONS``: 0-2 for the buttons, 3 for a release, 64/65 the wheel."""
    return code & MASK_BUTTONS


def is_wheel(code: int) -> bool:
    """tmux's ``MOUSE_WHEEL``."""
    return buttons(code) in (WHEEL_UP, WHEEL_DOWN)


def is_drag(code: int) -> bool:
    """tmux's ``MOUSE_DRAG`` (motion)."""
    return bool(code & MASK_DRAG)


def is_release(code: int) -> bool:
    """tmux's ``MOUSE_RELEASE``."""
    return buttons(code) == 3


@dataclass(frozen=True)
class RawMouse:
    """One report from the terminal, as tmux's tty reads an SGR report: ``sgr_b`` the
    button code as sent, ``b`` the same with a release as button 3, ``x``/``y`` the
    terminal cell (0-based), ``release`` an ``m`` report."""

    sgr_b: int
    x: int
    y: int
    release: bool = False

    @property
    def b(self) -> int:
        return (self.sgr_b & ~MASK_BUTTONS) | 3 if self.release and not is_wheel(self.sgr_b) \
            else self.sgr_b




def encode_report(raw: RawMouse, mode: int, sgr: bool, x: int, y: int) -> bytes:
    """:func:`encode_for_pane` for a bare report."""
    if not mode:
        return b""
    if is_drag(raw.b) and mode not in (1002, 1003):
        return b""
    if is_drag(raw.sgr_b) and is_release(raw.sgr_b) and mode != 1003:
        return b""
    if sgr:
        return f"\x1b[<{raw.sgr_b};{x + 1};{y + 1}{'m' if raw.release else 'M'}".encode()
    if raw.b + 32 > 255:
        return b""
    return b"\x1b[M" + bytes([raw.b + 32, min(255, x + 33), min(255, y + 33)])
