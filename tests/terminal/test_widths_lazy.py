"""terminal/widths.py: character widths equal wcwidth's, and wcwidth loads only for a
character that is not ASCII (pyte's own ``wcwidth`` included)."""

from __future__ import annotations

import subprocess
import sys

import wcwidth as real

from aisession_tui.terminal import widths


def test_every_ascii_width_is_wcwidths() -> None:
    for code in range(128):
        assert widths.char_width(chr(code)) == real.wcwidth(chr(code)), code
        assert widths.wcwidth(chr(code)) == real.wcwidth(chr(code)), code


def test_other_characters_and_arguments_go_to_wcwidth() -> None:
    for text in ("é", "中", "\u0301", "\u200b", "😀", "\u00ad", "\x80", "\u3000"):
        assert widths.char_width(text) == real.wcwidth(text), text
    assert widths.char_width("a", "auto") == real.wcwidth("a", "auto")
    assert widths.char_width("\u00b1", ambiguous_width=2) == real.wcwidth("\u00b1",
                                                                         ambiguous_width=2)


def test_pyte_and_the_emulator_load_wcwidth_at_the_first_wide_character() -> None:
    code = (
        "import sys\n"
        "from aisession_tui.terminal.emulator import Emulator\n"
        "import pyte.screens\n"
        "before = 'wcwidth' in sys.modules\n"
        "finder_left = all(type(f).__name__ != '_PyteScreensFinder' for f in sys.meta_path)\n"
        "ascii_widths = [pyte.screens.wcwidth(chr(c)) for c in range(128)]\n"
        "still = 'wcwidth' in sys.modules\n"
        "wide = pyte.screens.wcwidth('\u4e2d')\n"
        "print(before, finder_left, still, 'wcwidth' in sys.modules, wide,\n"
        "      hasattr(sys.modules['wcwidth'], 'wcswidth'))\n"
    )
    done = subprocess.run([sys.executable, "-E", "-P", "-c", code], capture_output=True,
                          text=True, check=True, timeout=60)
    assert done.stdout.split() == ["False", "True", "False", "True", "2", "True"]
