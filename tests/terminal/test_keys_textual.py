"""Textual key events -> child bytes, paste and mouse encodings, tmux <-> Textual names.

Textual is imported only here (``keys.py`` is headless): its own input parser turns
xterm byte sequences into the events a real terminal produces, and those events must
encode back to the bytes xterm sent.
"""

from __future__ import annotations

import itertools
import unicodedata

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.keys import Keys, _character_to_key

from aisession_tui.terminal.keys import (
    SPECIAL_KEYS,
    bracketed_paste,
    mouse_report,
    normalize_tmux_key,
    parse_tmux_key,
    textual_key_bytes,
    textual_to_tmux_key,
    tmux_key_bytes,
    tmux_key_to_textual,
)


def _textual_events(data: str) -> list[events.Key]:
    parser = XTermParser()
    parsed = list(parser.feed(data)) + list(parser.feed(""))
    return [event for event in parsed if isinstance(event, events.Key)]


def _xterm_sequences() -> list[str]:
    sequences = [chr(code) for code in range(0x20, 0x7F)]
    sequences += [chr(code) for code in range(0x20)] + ["\x7f"]
    # Only ESC + letter: Textual rewrites ESC b / ESC f to ctrl+left / ctrl+right, ESC +
    # digit to macOS option characters, and drops the alt of ESC + punctuation.
    sequences += ["\x1b" + char for char in "acdexyzABCXYZ"]
    for final in "ABCD":
        sequences += [f"\x1b[{final}"] + [f"\x1b[1;{m}{final}" for m in range(2, 9)]
    for final in "HF":
        sequences += [f"\x1b[{final}"] + [f"\x1b[1;{m}{final}" for m in (2, 5, 6)]
    for final in "PQRS":
        sequences += [f"\x1bO{final}"]
        # Modified F3 (CSI 1;m R) is read by Textual as a cursor position report.
        sequences += [f"\x1b[1;{m}{final}" for m in (2, 5) if final != "R"]
    for number in (2, 3, 5, 6, 15, 17, 18, 19, 20, 21, 23, 24):
        sequences += [f"\x1b[{number}~"] + [f"\x1b[{number};{m}~" for m in (2, 3, 5, 6)]
    sequences += ["\x1b[Z", "é", "€", "日"]
    return sequences


@pytest.mark.parametrize("sequence", _xterm_sequences(), ids=repr)
def test_events_from_xterm_bytes_encode_back_to_the_same_bytes(sequence: str) -> None:
    produced = b"".join(
        textual_key_bytes(event.key, event.character) or b""
        for event in _textual_events(sequence)
    )
    assert produced == sequence.encode()


@pytest.mark.parametrize(
    ("kitty", "legacy"),
    [
        ("\x1b[97;5u", "\x01"),
        ("\x1b[122;5u", "\x1a"),
        ("\x1b[120;3u", "\x1bx"),
        ("\x1b[97;4u", "\x1bA"),
        ("\x1b[97;7u", "\x1b\x01"),
        ("\x1b[27u", "\x1b"),
        ("\x1b[32;5u", "\x00"),
        ("\x1b[13;3u", "\x1b\r"),
        ("\x1b[13;2u", "\r"),
        ("\x1b[127;5u", "\x08"),
        ("\x1b[57441u", ""),
        ("\x1b[57442u", ""),
    ],
    ids=repr,
)
def test_kitty_protocol_events_encode_like_xterm(kitty: str, legacy: str) -> None:
    produced = b"".join(
        textual_key_bytes(event.key, event.character) or b""
        for event in _textual_events(kitty)
    )
    assert produced == legacy.encode()


def _pilot_character(key: str) -> str | None:
    """The character ``pilot.press(key)`` attaches, computed with Textual's own tables."""
    from textual.keys import REPLACED_KEYS, _get_unicode_name_from_key

    try:
        return unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        return key if len(key) == 1 else None


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("ctrl+b", b"\x02"), ("ctrl+c", b"\x03"), ("ctrl+@", b"\x00"), ("ctrl+space", b"\x00"),
        ("ctrl+j", b"\n"), ("ctrl+h", b"\x08"), ("ctrl+m", b"\r"), ("ctrl+i", b"\t"),
        ("ctrl+backslash", b"\x1c"), ("ctrl+right_square_bracket", b"\x1d"),
        ("ctrl+circumflex_accent", b"\x1e"), ("ctrl+underscore", b"\x1f"),
        ("ctrl+left_square_bracket", b"\x1b"), ("ctrl+question_mark", b"\x7f"),
        ("ctrl+2", b"\x00"), ("ctrl+6", b"\x1e"), ("ctrl+slash", b"\x1f"), ("ctrl+8", b"\x7f"),
        ("ctrl+1", b"1"), ("ctrl+shift+a", b"\x01"), ("alt+ctrl+a", b"\x1b\x01"),
        ("enter", b"\r"), ("tab", b"\t"), ("shift+tab", b"\x1b[Z"), ("escape", b"\x1b"),
        # pilot.press("backspace") attaches U+0008 (its Unicode name is BACKSPACE), the
        # same event a terminal's ctrl+h produces, so it is sent as ^H.
        ("backspace", b"\x08"), ("ctrl+backspace", b"\x08"), ("alt+backspace", b"\x1b\x7f"),
        ("space", b" "), ("alt+space", b"\x1b "), ("shift+space", b" "),
        ("a", b"a"), ("A", b"A"), ("percent_sign", b"%"), ("minus", b"-"), ("plus", b"+"),
        ("alt+x", b"\x1bx"), ("alt+shift+x", b"\x1bX"), ("alt+1", b"\x1b1"),
        ("alt+shift+1", b"\x1b!"), ("meta+x", b"\x1bx"),
        ("up", b"\x1b[A"), ("ctrl+left", b"\x1b[1;5D"), ("ctrl+shift+left", b"\x1b[1;6D"),
        ("alt+up", b"\x1b[1;3A"), ("shift+down", b"\x1b[1;2B"),
        ("home", b"\x1b[H"), ("end", b"\x1b[F"), ("ctrl+home", b"\x1b[1;5H"),
        ("pageup", b"\x1b[5~"), ("pagedown", b"\x1b[6~"), ("shift+pageup", b"\x1b[5;2~"),
        ("insert", b"\x1b[2~"), ("delete", b"\x1b[3~"), ("ctrl+delete", b"\x1b[3;5~"),
        ("f1", b"\x1bOP"), ("f4", b"\x1bOS"), ("f5", b"\x1b[15~"), ("f12", b"\x1b[24~"),
        ("ctrl+f1", b"\x1b[1;5P"), ("shift+f5", b"\x1b[15;2~"), ("f13", b"\x1b[1;2P"),
        ("f17", b"\x1b[15;2~"), ("alt+enter", b"\x1b\r"),
        ("decimal", b"."), ("divide", b"/"),
        ("left_shift", None), ("right_control", None), ("left_alt", None),
        ("caps_lock", None), ("super+a", None), ("hyper+x", None),
    ],
)
def test_pilot_style_keys(key: str, expected: bytes | None) -> None:
    assert textual_key_bytes(key, _pilot_character(key)) == expected


@pytest.mark.parametrize(
    ("key", "plain", "application"),
    [
        ("up", b"\x1b[A", b"\x1bOA"), ("down", b"\x1b[B", b"\x1bOB"),
        ("right", b"\x1b[C", b"\x1bOC"), ("left", b"\x1b[D", b"\x1bOD"),
        ("home", b"\x1b[H", b"\x1bOH"), ("end", b"\x1b[F", b"\x1bOF"),
        ("ctrl+up", b"\x1b[1;5A", b"\x1b[1;5A"), ("pageup", b"\x1b[5~", b"\x1b[5~"),
    ],
)
def test_cursor_keys_follow_decckm(key: str, plain: bytes, application: bytes) -> None:
    assert textual_key_bytes(key, None) == plain
    assert textual_key_bytes(key, None, app_cursor=True) == application


def test_keypad_names_follow_deckpam() -> None:
    assert textual_key_bytes("divide", "/", app_keypad=True) == b"\x1bOo"
    assert textual_key_bytes("add", "+", app_keypad=True) == b"\x1bOk"
    assert textual_key_bytes("divide", "/") == b"/"


def test_backspace_keeps_the_byte_the_terminal_sent() -> None:
    assert textual_key_bytes("backspace", "\x08") == b"\x08"
    assert textual_key_bytes("backspace", "\x7f") == b"\x7f"
    assert textual_key_bytes("backspace", None) == b"\x7f"


def test_unknown_named_key_with_text_sends_the_text() -> None:
    assert textual_key_bytes("latin_small_letter_a_with_grave", "à") == "à".encode()
    assert textual_key_bytes("media_play", None) is None


def test_bracketed_paste() -> None:
    assert bracketed_paste("a\nb", False) == b"a\rb"
    assert bracketed_paste("a\r\nb", False) == b"a\rb"
    assert bracketed_paste("x", True) == b"\x1b[200~x\x1b[201~"
    assert bracketed_paste("a\x1b[201~b\nc", True) == b"\x1b[200~ab\rc\x1b[201~"
    nested = "\x1b[20\x1b[201~1~rm -rf"
    assert bracketed_paste(nested, True).count(b"\x1b[201~") == 1
    assert bracketed_paste("é", True) == "\x1b[200~é\x1b[201~".encode()


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((0, 0, 0), {"press": True, "sgr": True}, b"\x1b[<0;1;1M"),
        ((0, 9, 4), {"press": False, "sgr": True}, b"\x1b[<0;10;5m"),
        ((2, 9, 4), {"press": True, "sgr": True}, b"\x1b[<2;10;5M"),
        ((64, 3, 2), {"press": True, "sgr": True}, b"\x1b[<64;4;3M"),
        ((65, 3, 2), {"press": True, "sgr": True}, b"\x1b[<65;4;3M"),
        ((0, 5, 5), {"press": True, "motion": True, "sgr": True}, b"\x1b[<32;6;6M"),
        ((3, 5, 5), {"press": True, "motion": True, "sgr": True}, b"\x1b[<35;6;6M"),
        ((0, 1, 1), {"press": True, "sgr": True, "modifiers": 16}, b"\x1b[<16;2;2M"),
        ((0, 500, 300), {"press": True, "sgr": True}, b"\x1b[<0;501;301M"),
        ((0, 0, 0), {"press": True, "sgr": False}, b"\x1b[M !!"),
        ((2, 9, 4), {"press": True, "sgr": False}, b"\x1b[M\x22\x2a\x25"),
        ((0, 9, 4), {"press": False, "sgr": False}, b"\x1b[M\x23\x2a\x25"),
        ((64, 0, 0), {"press": True, "sgr": False}, b"\x1b[M\x60!!"),
        ((65, 0, 0), {"press": True, "sgr": False}, b"\x1b[M\x61!!"),
        ((0, 2, 3), {"press": True, "motion": True, "sgr": False}, b"\x1b[M\x40\x23\x24"),
        ((0, 999, 999), {"press": True, "sgr": False}, b"\x1b[M \xff\xff"),
    ],
)
def test_mouse_report(args: tuple[int, int, int], kwargs: dict, expected: bytes) -> None:  # type: ignore[type-arg]
    assert mouse_report(*args, **kwargs) == expected


def test_sgr_mouse_reports_parse_back_in_textual() -> None:
    parser = XTermParser()
    report = mouse_report(0, 9, 4, press=True, sgr=True).decode()
    (event,) = list(parser.feed(report))
    assert isinstance(event, events.MouseDown)
    assert (event.x, event.y, event.button) == (9, 4, 1)


@pytest.mark.parametrize(
    ("tmux", "textual"),
    [
        ("C-b", "ctrl+b"), ("C-a", "ctrl+a"), ("M-1", "alt+1"), ("PPage", "pageup"),
        ("PgUp", "pageup"), ("NPage", "pagedown"), ("C-Up", "ctrl+up"), ("%", "percent_sign"),
        ('"', "quotation_mark"), ("-", "minus"), ("/", "slash"), ("@", "at"),
        ("_", "underscore"), ("+", "plus"), ("\\", "backslash"), ("#", "number_sign"),
        ("Enter", "enter"), ("Escape", "escape"), ("Tab", "tab"), ("BTab", "shift+tab"),
        ("BSpace", "backspace"), ("Space", "space"), ("IC", "insert"), ("DC", "delete"),
        ("F1", "f1"), ("F12", "f12"), ("C-F5", "ctrl+f5"), ("S-Up", "shift+up"),
        ("C-S-Left", "ctrl+shift+left"), ("C-M-S-Up", "alt+ctrl+shift+up"),
        ("M-X", "alt+shift+x"), ("M-x", "alt+x"), ("C-M-a", "alt+ctrl+a"),
        ("C-Space", "ctrl+@"), ("C-@", "ctrl+@"), ("C-i", "tab"), ("C-m", "enter"),
        ("C-[", "escape"), ("C-\\", "ctrl+backslash"), ("C-]", "ctrl+right_square_bracket"),
        ("C-^", "ctrl+circumflex_accent"), ("C-_", "ctrl+underscore"),
        ("C-?", "ctrl+question_mark"), ("C-h", "ctrl+h"), ("c-B", "ctrl+b"), ("^b", "ctrl+b"),
        ("A", "A"), ("é", "é"), ("€", "euro_sign"), ("KP/", "slash"), ("KPEnter", "enter"),
        ("KP7", "7"), ("M-Enter", "alt+enter"), ("C-Enter", "ctrl+enter"),
    ],
)
def test_tmux_key_to_textual(tmux: str, textual: str) -> None:
    assert tmux_key_to_textual(tmux) == textual


@pytest.mark.parametrize("name", ["None", "Any", "hello", "C-%", "F13", "S-", "MouseDown1Pane"])
def test_tmux_key_to_textual_rejects_non_keys(name: str) -> None:
    with pytest.raises(ValueError):
        tmux_key_to_textual(name)


def test_textual_names_are_the_ones_textual_reports() -> None:
    """Every base name we produce is a Textual key: an enum value or a character key."""
    known = {key.value for key in Keys} | {"space", "@"}
    known |= {_character_to_key(chr(code)) for code in range(0x21, 0x7F)}
    for char in map(chr, range(0x21, 0x7F)):
        produced = tmux_key_to_textual(char)
        assert produced == _character_to_key(char)
    for name in SPECIAL_KEYS:
        base = tmux_key_to_textual(name).rpartition("+")[2]
        assert base in known, name


def _canonical_tmux_names() -> list[str]:
    """Canonical spellings of every key tmux can name, with every modifier combination."""
    bases = [name for name in SPECIAL_KEYS if not name.startswith("KP")]
    bases += ["Enter", "Escape", "Tab", "Space"] + [chr(code) for code in range(0x21, 0x7F)]
    names = set()
    for base in bases:
        for combo in itertools.product(("", "C-"), ("", "M-"), ("", "S-")):
            canonical = normalize_tmux_key("".join(combo) + base)
            if canonical is not None:
                names.add(canonical)
    return sorted(names)


def _textual_can_tell_apart(name: str) -> bool:
    """Textual reports ``S-a`` as ``A`` and ``S-Tab``/``S-BTab`` as ``BTab``: not bijective."""
    key = parse_tmux_key(name)
    assert key is not None
    if key.shift and key.base in ("\t", "BTab"):
        return False
    return not (key.shift and len(key.base) == 1 and key.base.isprintable() and not key.ctrl
                and key.base != " ")


def test_round_trip_over_all_canonical_tmux_names() -> None:
    names = _canonical_tmux_names()
    assert len(names) > 500
    failures = []
    for name in names:
        if not _textual_can_tell_apart(name):
            continue
        back = textual_to_tmux_key(tmux_key_to_textual(name))
        if back != name:
            failures.append((name, tmux_key_to_textual(name), back))
    assert failures == []


def test_round_trip_keeps_the_bytes_for_every_tmux_alias() -> None:
    aliases = ["PgUp", "PageUp", "PgDn", "PageDown", "Insert", "Delete", "C-A", "c-m-x",
               "^a", "C-@", "C-[", "C-i", "C-m", "KP/", "KP0", "m-X", "s-up"]
    for alias in aliases:
        back = textual_to_tmux_key(tmux_key_to_textual(alias))
        assert tmux_key_bytes(back) == tmux_key_bytes(alias), alias


@pytest.mark.parametrize(
    ("textual", "tmux"),
    [
        ("ctrl+b", "C-b"), ("ctrl+shift+a", "S-C-a"), ("alt+ctrl+a", "M-C-a"),
        ("ctrl+space", "C-Space"), ("ctrl+@", "C-Space"), ("ctrl+at", "C-Space"),
        ("shift+tab", "BTab"), ("f13", "S-F1"), ("ctrl+f14", "C-S-F2"),
        ("alt+shift+x", "M-X"), ("shift+a", "A"), ("pageup", "PPage"),
        ("ctrl+i", "Tab"), ("ctrl+m", "Enter"), ("ctrl+left_square_bracket", "Escape"),
        ("divide", "KP/"), ("backspace", "BSpace"), ("ctrl+j", "C-j"), ("return", "Enter"),
        ("alt+ctrl+shift+up", "C-M-S-Up"), ("percent_sign", "%"), ("meta+x", "M-x"),
    ],
)
def test_textual_to_tmux_key(textual: str, tmux: str) -> None:
    assert textual_to_tmux_key(textual) == tmux


@pytest.mark.parametrize("key", ["left_shift", "super+a", "media_play", ""])
def test_textual_to_tmux_key_rejects_unnameable_keys(key: str) -> None:
    with pytest.raises(ValueError):
        textual_to_tmux_key(key)
