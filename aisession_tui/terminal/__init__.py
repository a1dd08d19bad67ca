"""Terminal emulation: the VT emulator behind a small interface, scrollback, key encoding.

Headless; imported by the server (emulator) and by clients (key encoding, styles).
:func:`.widths.install` makes pyte's import leave the ``wcwidth`` package (~10 ms) for the
first character that is not ASCII.
"""

from .widths import install

install()
