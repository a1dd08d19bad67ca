"""tmux 3.3a ``send-keys`` bytes: recorded tables, replayed against real tmux when present.

Each (name, bytes) pair was captured by running ``tmux send-keys NAME`` into a pane whose
program reads its tty raw and logs every byte. ``tmux_key_bytes`` returning ``None``
means "type the name literally", which is what tmux does for those names, so the
expected bytes of such names are the name itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aisession_tui.terminal.keys import send_keys_payload, tmux_key_bytes

PLAIN: list[tuple[str, bytes]] = [
    ('Enter', b'\r'),
    ('Escape', b'\x1b'),
    ('Tab', b'\t'),
    ('BTab', b'\x1b[Z'),
    ('BSpace', b'\x7f'),
    ('Space', b' '),
    ('Up', b'\x1b[A'),
    ('Down', b'\x1b[B'),
    ('Left', b'\x1b[D'),
    ('Right', b'\x1b[C'),
    ('Home', b'\x1b[1~'),
    ('End', b'\x1b[4~'),
    ('PageUp', b'\x1b[5~'),
    ('PgUp', b'\x1b[5~'),
    ('PPage', b'\x1b[5~'),
    ('PageDown', b'\x1b[6~'),
    ('PgDn', b'\x1b[6~'),
    ('NPage', b'\x1b[6~'),
    ('Insert', b'\x1b[2~'),
    ('IC', b'\x1b[2~'),
    ('Delete', b'\x1b[3~'),
    ('DC', b'\x1b[3~'),
    ('F1', b'\x1bOP'),
    ('F2', b'\x1bOQ'),
    ('F3', b'\x1bOR'),
    ('F4', b'\x1bOS'),
    ('F5', b'\x1b[15~'),
    ('F6', b'\x1b[17~'),
    ('F7', b'\x1b[18~'),
    ('F8', b'\x1b[19~'),
    ('F9', b'\x1b[20~'),
    ('F10', b'\x1b[21~'),
    ('F11', b'\x1b[23~'),
    ('F12', b'\x1b[24~'),
    ('F13', b'F13'),
    ('KP0', b'0'),
    ('KP1', b'1'),
    ('KP/', b'/'),
    ('KP*', b'*'),
    ('KP-', b'-'),
    ('KP+', b'+'),
    ('KP.', b'.'),
    ('KPEnter', b'\n'),
    ('KP9', b'9'),
    ('C-a', b'\x01'),
    ('C-z', b'\x1a'),
    ('C-A', b'\x01'),
    ('C-@', b'\x00'),
    ('C-[', b'\x1b'),
    ('C-\\', b'\x1c'),
    ('C-]', b'\x1d'),
    ('C-^', b'\x1e'),
    ('C-_', b'\x1f'),
    ('C-Space', b'\x00'),
    ('C-?', b'\x7f'),
    ('C-1', b''),
    ('C-2', b'\x00'),
    ('C-3', b''),
    ('C-8', b''),
    ('C-/', b'\x1f'),
    ('C-Enter', b''),
    ('C-Tab', b''),
    ('C-Escape', b''),
    ('C-BSpace', b''),
    ('M-x', b'\x1bx'),
    ('M-X', b'\x1bX'),
    ('M-Enter', b'\x1b\r'),
    ('M-Up', b'\x1b[1;3A'),
    ('M-F1', b'\x1b[1;3P'),
    ('C-M-a', b'\x1b\x01'),
    ('M-C-a', b'\x1b\x01'),
    ('C-Left', b'\x1b[1;5D'),
    ('C-Right', b'\x1b[1;5C'),
    ('S-Up', b'\x1b[1;2A'),
    ('S-Left', b'\x1b[1;2D'),
    ('C-S-Up', b'\x1b[1;6A'),
    ('M-S-Up', b'\x1b[1;4A'),
    ('C-M-Up', b'\x1b[1;7A'),
    ('C-M-S-Up', b'\x1b[1;8A'),
    ('C-F1', b'\x1b[1;5P'),
    ('S-F1', b'\x1b[1;2P'),
    ('C-F5', b'\x1b[15;5~'),
    ('S-F12', b'\x1b[24;2~'),
    ('C-Home', b'\x1b[1;5H'),
    ('S-End', b'\x1b[1;2F'),
    ('C-PageUp', b'\x1b[5;5~'),
    ('M-Delete', b'\x1b[3;3~'),
    ('S-Tab', b'S-Tab'),
    ('S-a', b'S-a'),
    ('C-é', b'\xc3\xa9'),
    ('enter', b'\r'),
    ('ENTER', b'\r'),
    ('c-a', b'\x01'),
    ('m-x', b'\x1bx'),
    ('up', b'\x1b[A'),
    ('f1', b'\x1bOP'),
    ('pageup', b'\x1b[5~'),
    ('bspace', b'\x7f'),
    ('^a', b'\x01'),
    ('^A', b'\x01'),
    ('0x41', b'A'),
    ('0xe9', b'\xc3\xa9'),
    ('hello', b'hello'),
    ('a', b'a'),
    ('é', b'\xc3\xa9'),
    ('None', b'None'),
    ('Any', b'Any'),
    ('C-', b'C-'),
    ('-', b'-'),
    ('C--', b'\x1f'),
    ('M--', b'\x1b-'),
    ('S-Space', b'S-Space'),
    ('C-0', b''),
    ('C-4', b''),
    ('C-5', b''),
    ('C-6', b'\x1e'),
    ('C-7', b''),
    ('C-9', b''),
    ('C-!', b''),
    ('C-=', b''),
    ('C-.', b''),
    ('C-,', b''),
    ("C-'", b''),
    ('C-`', b''),
    ('C-S-a', b'C-S-a'),
    ('M-S-a', b'M-S-a'),
    ('S-M-a', b'S-M-a'),
    ('C-M-1', b'C-M-1'),
    ('M-1', b'\x1b1'),
    ('C-M-2', b'C-M-2'),
    ('M-Space', b'\x1b '),
    ('M-BSpace', b'\x1b\x7f'),
    ('M-Tab', b'\x1b\t'),
    ('M-Escape', b'\x1b\x1b'),
    ('M-BTab', b'\x1b\x1b[Z'),
    ('C-BTab', b''),
    ('S-BTab', b'S-BTab'),
    ('S-F13', b'S-F13'),
    ('S-Enter', b'S-Enter'),
    ('C-M-Enter', b'C-M-Enter'),
    ('M-KP0', b'\x1b0'),
    ('C-KP0', b''),
    ('S-KP1', b'S-KP1'),
    ('C-KPEnter', b''),
    ('M-é', b'\x1b\xc3\xa9'),
    ('M-0xe9', b'M-0xe9'),
    ('C-Insert', b'\x1b[2;5~'),
    ('S-IC', b'\x1b[2;2~'),
    ('M-DC', b'\x1b[3;3~'),
    ('C-M-PgDn', b'\x1b[6;7~'),
    ('M-Home', b'\x1b[1;3H'),
    ('S-Home', b'\x1b[1;2H'),
    ('M-End', b'\x1b[1;3F'),
    ('C-End', b'\x1b[1;5F'),
    ('F0', b'F0'),
    ('F24', b'F24'),
    ('Up-', b'Up-'),
    ('C-M-S-', b'C-M-S-'),
    ('S-', b'S-'),
    ('C-x-y', b'C-x-y'),
    ('C-#', b''),
    ('C-(', b''),
    ('M-#', b'\x1b#'),
    ('C-M-[', b'\x1b\x1b'),
    ('C-M-?', b'\x1b\x7f'),
    ('Tab-', b'Tab-'),
    ('C-{', b'C-{'),
    ('C-|', b'C-|'),
    ('C-~', b'C-~'),
    ('C-}', b'C-}'),
    ('C-"', b'C-"'),
    ('C-$', b'C-$'),
    ('C-%', b'C-%'),
    ('C-&', b'C-&'),
    ('C-a-b', b'C-a-b'),
    ('Mouse1', b'Mouse1'),
    ('MouseDown1Pane', b'MouseDown1Pane'),
    ('WheelUpPane', b'WheelUpPane'),
    ('S-é', b'\xc3\xa9'),
    ('C-M-é', b'\x1b\xc3\xa9'),
    ('M-S-é', b'\x1b\xc3\xa9'),
    ('C-S-é', b'\xc3\xa9'),
    ('^é', b'\xc3\xa9'),
    ('S-A', b'S-A'),
    ('M-A', b'\x1bA'),
    ('C-M-A', b'\x1b\x01'),
    ('C-M-z', b'\x1b\x1a'),
    ('C-M-\\', b'\x1b\x1c'),
    ('^[', b'\x1b'),
    ('^?', b'\x7f'),
    ('^', b'^'),
    ('^^', b'\x1e'),
    ('M-^a', b'M-^a'),
    ('^M-a', b'\x1b\x01'),
    ('^C-a', b'\x01'),
    ('C-^a', b'C-^a'),
    ('C-M-Space', b'\x1b\x00'),
    ('M-C-Space', b'\x1b\x00'),
    ('S-C-Up', b'\x1b[1;6A'),
    ('C-c-Up', b'\x1b[1;5A'),
    ('x-a', b'x-a'),
    ('M-M-a', b'\x1ba'),
    ('C-C-a', b'\x01'),
    ('0x', b'0x'),
    ('0x0', b'\x00'),
    ('0x1b', b'\x1b'),
    ('0x7f', b'\x7f'),
    ('0xzz', b'0xzz'),
    ('0x41x', b'A'),
    ('0x1F600', b'\xf0\x9f\x98\x80'),
    ('C-0x41', b'C-0x41'),
    ('€', b'\xe2\x82\xac'),
    ('M-€', b'\x1b\xe2\x82\xac'),
    ('aé', b'a\xc3\xa9'),
    ('éa', b'\xc3\xa9a'),
    ('kp*', b'*'),
    ('kpenter', b'\n'),
    ('btab', b'\x1b[Z'),
    ('home', b'\x1b[1~'),
    ('nPaGe', b'\x1b[6~'),
    ('C-space', b'\x00'),
    ('c-@', b'\x00'),
    ('C-Z', b'\x1a'),
    ('M-Z', b'\x1bZ'),
    ('M-z', b'\x1bz'),
    ('S--', b'S--'),
    ('M-KPEnter', b'\x1b\n'),
    ('M-KP/', b'\x1b/'),
    ('S-KP/', b'S-KP/'),
    ('C-M-KP1', b'C-M-KP1'),
    ('M-S-Tab', b'M-S-Tab'),
    ('C-M-BTab', b'C-M-BTab'),
    ('0x1f', b'\x1f'),
    ('0x110000', b'0x110000'),
    ('M-0x41', b'M-0x41'),
    ('M-@', b'\x1b@'),
    ('S-@', b'S-@'),
    ('^@', b'\x00'),
    ('C-S-M-F12', b'\x1b[24;8~'),
    ('M-F12', b'\x1b[24;3~'),
]

APP_CURSOR_AND_KEYPAD: list[tuple[str, bytes]] = [
    ('Up', b'\x1bOA'),
    ('Down', b'\x1bOB'),
    ('Left', b'\x1bOD'),
    ('Right', b'\x1bOC'),
    ('Home', b'\x1b[1~'),
    ('End', b'\x1b[4~'),
    ('C-Up', b'\x1b[1;5A'),
    ('M-Left', b'\x1b[1;3D'),
    ('S-Down', b'\x1b[1;2B'),
    ('PageUp', b'\x1b[5~'),
    ('Insert', b'\x1b[2~'),
    ('F1', b'\x1bOP'),
    ('KP0', b'\x1bOp'),
    ('KP1', b'\x1bOq'),
    ('KP2', b'\x1bOr'),
    ('KP3', b'\x1bOs'),
    ('KP4', b'\x1bOt'),
    ('KP5', b'\x1bOu'),
    ('KP6', b'\x1bOv'),
    ('KP7', b'\x1bOw'),
    ('KP8', b'\x1bOx'),
    ('KP9', b'\x1bOy'),
    ('KP/', b'\x1bOo'),
    ('KP*', b'\x1bOj'),
    ('KP-', b'\x1bOm'),
    ('KP+', b'\x1bOk'),
    ('KP.', b'\x1bOn'),
    ('KPEnter', b'\x1bOM'),
    ('C-KP1', b''),
    ('M-KP1', b'\x1b\x1bOq'),
    ('S-KP1', b'S-KP1'),
    ('M-KPEnter', b'\x1b\x1bOM'),
]

APP_CURSOR_ONLY: list[tuple[str, bytes]] = [
    ('Up', b'\x1bOA'),
    ('Down', b'\x1bOB'),
    ('Left', b'\x1bOD'),
    ('Right', b'\x1bOC'),
    ('Home', b'\x1b[1~'),
    ('End', b'\x1b[4~'),
    ('C-Up', b'\x1b[1;5A'),
    ('M-Left', b'\x1b[1;3D'),
    ('S-Down', b'\x1b[1;2B'),
    ('PageUp', b'\x1b[5~'),
    ('Insert', b'\x1b[2~'),
    ('F1', b'\x1bOP'),
    ('KP0', b'0'),
    ('KP1', b'1'),
    ('KP2', b'2'),
    ('KP3', b'3'),
    ('KP4', b'4'),
    ('KP5', b'5'),
    ('KP6', b'6'),
    ('KP7', b'7'),
    ('KP8', b'8'),
    ('KP9', b'9'),
    ('KP/', b'/'),
    ('KP*', b'*'),
    ('KP-', b'-'),
    ('KP+', b'+'),
    ('KP.', b'.'),
    ('KPEnter', b'\n'),
    ('C-KP1', b''),
    ('M-KP1', b'\x1b1'),
    ('S-KP1', b'S-KP1'),
    ('M-KPEnter', b'\x1b\n'),
]

APP_KEYPAD_ONLY: list[tuple[str, bytes]] = [
    ('Up', b'\x1b[A'),
    ('Down', b'\x1b[B'),
    ('Left', b'\x1b[D'),
    ('Right', b'\x1b[C'),
    ('Home', b'\x1b[1~'),
    ('End', b'\x1b[4~'),
    ('C-Up', b'\x1b[1;5A'),
    ('M-Left', b'\x1b[1;3D'),
    ('S-Down', b'\x1b[1;2B'),
    ('PageUp', b'\x1b[5~'),
    ('Insert', b'\x1b[2~'),
    ('F1', b'\x1bOP'),
    ('KP0', b'\x1bOp'),
    ('KP1', b'\x1bOq'),
    ('KP2', b'\x1bOr'),
    ('KP3', b'\x1bOs'),
    ('KP4', b'\x1bOt'),
    ('KP5', b'\x1bOu'),
    ('KP6', b'\x1bOv'),
    ('KP7', b'\x1bOw'),
    ('KP8', b'\x1bOx'),
    ('KP9', b'\x1bOy'),
    ('KP/', b'\x1bOo'),
    ('KP*', b'\x1bOj'),
    ('KP-', b'\x1bOm'),
    ('KP+', b'\x1bOk'),
    ('KP.', b'\x1bOn'),
    ('KPEnter', b'\x1bOM'),
    ('C-KP1', b''),
    ('M-KP1', b'\x1b\x1bOq'),
    ('S-KP1', b'S-KP1'),
    ('M-KPEnter', b'\x1b\x1bOM'),
]

MODES: dict[str, tuple[bool, bool, list[tuple[str, bytes]]]] = {
    "plain": (False, False, PLAIN),
    "cursor+keypad": (True, True, APP_CURSOR_AND_KEYPAD),
    "cursor": (True, False, APP_CURSOR_ONLY),
    "keypad": (False, True, APP_KEYPAD_ONLY),
}

_READER = r"""
import os, sys, tty
log, modes = sys.argv[1], sys.argv[2]
tty.setraw(0)
if "c" in modes:
    os.write(1, b"\x1b[?1h")
if "k" in modes:
    os.write(1, b"\x1b=")
open(log + ".ready", "w").close()
with open(log, "wb", buffering=0) as out:
    while True:
        data = os.read(0, 4096)
        if not data:
            break
        out.write(data)
"""

_SEPARATOR = b"\xff"
"""Sent with ``send-keys -H ff`` after each key: no key name produces this byte."""


def _wait_for(condition, what: str, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def _encode_like_send_keys(name: str, app_cursor: bool, app_keypad: bool) -> bytes:
    encoded = tmux_key_bytes(name, app_cursor=app_cursor, app_keypad=app_keypad)
    return name.encode() if encoded is None else encoded


@pytest.mark.parametrize("mode", list(MODES))
def test_tmux_key_bytes_match_recorded_tmux(mode: str) -> None:
    app_cursor, app_keypad, cases = MODES[mode]
    for name, expected in cases:
        assert _encode_like_send_keys(name, app_cursor, app_keypad) == expected, name


def _tmux_capture(tmp_path: Path, names: list[str], modes: str) -> list[bytes]:
    """What real tmux writes into a pane for each name, in order."""
    socket_name = f"aisession-keys-{os.getpid()}-{modes or 'plain'}"
    base = ["tmux", "-L", socket_name, "-f", "/dev/null"]
    env = {key: value for key, value in os.environ.items() if key != "TMUX"}
    reader = tmp_path / "reader.py"
    reader.write_text(_READER)
    log = tmp_path / f"keys-{modes or 'plain'}.log"
    command = f"{sys.executable} {reader} {log} {modes or '-'}"
    subprocess.run(base + ["new-session", "-d", "-x", "80", "-y", "24", command],
                   env=env, check=True)
    socket_path = ""
    try:
        socket_path = subprocess.run(
            base + ["display-message", "-p", "#{socket_path}"],
            env=env, capture_output=True, text=True, check=True,
        ).stdout.strip()
        _wait_for(lambda: Path(str(log) + ".ready").exists() and log.exists(), "pane reader")
        batch: list[str] = []
        for name in names:
            batch += ["send-keys", name, ";", "send-keys", "-H", "ff", ";"]
        subprocess.run(base + batch, env=env, check=True)
        _wait_for(lambda: log.read_bytes().count(_SEPARATOR) >= len(names), "all keys")
        return log.read_bytes().split(_SEPARATOR)[: len(names)]
    finally:
        subprocess.run(base + ["kill-server"], env=env, capture_output=True, check=False)
        if socket_path:
            Path(socket_path).unlink(missing_ok=True)


@pytest.mark.parametrize("mode", list(MODES))
def test_recorded_tables_agree_with_installed_tmux(tmp_path: Path, mode: str) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    app_cursor, app_keypad, cases = MODES[mode]
    modes = ("c" if app_cursor else "") + ("k" if app_keypad else "")
    names = [name for name, _ in cases]
    captured = _tmux_capture(tmp_path, names, modes)
    disagreements = [
        (name, real, expected, _encode_like_send_keys(name, app_cursor, app_keypad))
        for (name, expected), real in zip(cases, captured)
        if not real == expected == _encode_like_send_keys(name, app_cursor, app_keypad)
    ]
    assert disagreements == []


def test_send_keys_payload_flags_match_tmux() -> None:
    # Recorded with tmux 3.3a send-keys into a raw reader, as above.
    assert send_keys_payload(["41", "42"], hex_mode=True) == b"AB"
    assert send_keys_payload(["0x41"], hex_mode=True) == b"A"
    assert send_keys_payload(["ff"], hex_mode=True) == b"\xff"
    assert send_keys_payload(["c3", "a9"], hex_mode=True) == "é".encode()
    assert send_keys_payload(["Enter", "C-a"], literal=True) == b"EnterC-a"
    assert send_keys_payload(["ab", "Enter"], repeat=3) == b"ab\rab\rab\r"
    assert send_keys_payload(["é"], literal=True, repeat=2) == "éé".encode()
    assert send_keys_payload(["echo hi", "Enter"]) == b"echo hi\r"
    assert send_keys_payload(["Up"], app_cursor=True) == b"\x1bOA"
    assert send_keys_payload(["KP1"], app_keypad=True) == b"\x1bOq"
    assert send_keys_payload([]) == b""


@pytest.mark.parametrize("bad", ["zz", "100", "", "41 42", "-1", "0x"])
def test_send_keys_payload_rejects_bad_hex(bad: str) -> None:
    # tmux 3.3a silently skips these; we report them instead (documented divergence).
    with pytest.raises(ValueError, match="invalid hex key"):
        send_keys_payload([bad], hex_mode=True)


@pytest.mark.parametrize("repeat", [0, -3])
def test_send_keys_payload_rejects_small_repeat(repeat: int) -> None:
    with pytest.raises(ValueError, match="repeat count too small"):
        send_keys_payload(["a"], repeat=repeat)
