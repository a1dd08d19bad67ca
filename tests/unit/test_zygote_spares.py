"""The zygote's bookkeeping of its spare renderer (aisession_tui/client/zygote.py), without
forking: when the loop may sleep, the back-off after spares that die unused, handing a
client to a spare whose end of the pair is gone (the client then gets a fresh renderer),
and the terminal size a spare reports for the next one."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from aisession_tui.client import zygote
from aisession_tui.client.zygote import HANDOFF, SPARE_AFTER_IDLE, SPARE_RETRY_LIMIT, Zygote


@pytest.fixture
def loop() -> Iterator[Zygote]:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    parent_read, parent_write = os.pipe()
    instance = Zygote(listener, parent_read)
    try:
        yield instance
    finally:
        listener.close()
        for fd in (parent_read, parent_write, instance.wake_read, instance.wake_write):
            os.close(fd)
        if instance.spare is not None:
            instance.spare[1].close()


def test_the_loop_sleeps_until_woken_once_a_spare_waits(loop: Zygote) -> None:
    assert loop.timeout() is not None  # the warm-up is due
    loop.warmed = True
    assert loop.timeout() is not None  # a spare is due
    ours, theirs = socket.socketpair()
    theirs.close()
    loop.spare = (os.getpid(), ours)
    assert loop.timeout() is None  # nothing due: only a client, a child or the server


def test_no_spare_is_due_when_spares_are_off(loop: Zygote,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zygote, "SPARES_ENABLED", False)
    loop.warmed = True
    assert loop.timeout() is None


def test_spares_that_keep_dying_are_made_less_often(loop: Zygote) -> None:
    delays = []
    for deaths in range(12):
        loop.spare_deaths = deaths
        delays.append(loop.spare_delay())
    assert delays[0] == SPARE_AFTER_IDLE
    assert delays[1] == 2 * SPARE_AFTER_IDLE
    assert all(later >= earlier for earlier, later in zip(delays, delays[1:]))
    assert delays[-1] == SPARE_RETRY_LIMIT


def test_a_client_goes_down_the_pair_of_a_waiting_spare(loop: Zygote) -> None:
    ours, theirs = socket.socketpair()
    client, other_end = socket.socketpair()
    spare_pid = 424242  # not forked: only the bookkeeping is under test
    loop.spare = (spare_pid, ours)
    loop.children[spare_pid] = None
    try:
        assert loop.hand_to_spare(client)
        data, fds, _, _ = socket.recv_fds(theirs, 16, 1)
        assert data == HANDOFF and len(fds) == 1
        os.close(fds[0])
        assert loop.children[spare_pid] is client
        assert loop.spare is None and loop.spares_handed == 1
    finally:
        for sock in (theirs, client, other_end):
            sock.close()


def test_a_spare_whose_end_is_gone_takes_no_client(loop: Zygote) -> None:
    ours, theirs = socket.socketpair()
    theirs.close()  # the spare died and was not reaped yet
    client, other_end = socket.socketpair()
    loop.spare = (424243, ours)
    loop.children[424243] = None
    try:
        assert not loop.hand_to_spare(client)  # the caller forks a fresh renderer
        assert loop.spare is None
        assert loop.children[424243] is None
    finally:
        client.close()
        other_end.close()


def test_a_spare_lays_out_at_the_size_the_last_spare_reported(loop: Zygote,
                                                             tmp_path: Path) -> None:
    """A spare handed a client reports its terminal's size up its pair; the zygote keeps
    the last one for the next spare (client/spare.py) - in memory: nothing is written
    beside the server's socket. A report that is not two sizes in range is ignored."""
    pytest.importorskip("textual")
    from aisession_tui.client.renderer import HeldDriver
    from aisession_tui.client.spare import Spare

    assert loop.size_hint is None
    for number, report in enumerate((b"200 51\n", b"", b"80", b"a b", b"0 24", b"99999 24",
                                     b"1 2 3")):
        ours, theirs = socket.socketpair()
        client, other_end = socket.socketpair()
        pid = 424300 + number
        loop.spare = (pid, ours)
        loop.children[pid] = None
        try:
            assert loop.hand_to_spare(client)
            assert list(loop.reporting) == [ours.fileno()]
            spare = Spare(theirs, str(tmp_path / "default"))
            connection = spare.wait_for_client()
            assert connection is not None
            connection.close()
            assert spare.pair is theirs
            if report:
                theirs.sendall(report)
            spare.report(None)  # closes the spare's end
            assert spare.pair is None
            loop.read_report(ours.fileno())
            assert loop.reporting == {}
        finally:
            for sock in (theirs, client, other_end):
                sock.close()
        assert loop.size_hint == (200, 51)  # the first report, never replaced by a bad one
    one, two = socket.socketpair()
    try:
        assert Spare(one, "", loop.size_hint).dormant_size == (200, 51)
        assert Spare(one, "", None).dormant_size == HeldDriver.DORMANT_SIZE
    finally:
        one.close()
        two.close()
    assert os.listdir(tmp_path) == []


def test_parse_size() -> None:
    assert zygote.parse_size(b"120 40\n") == (120, 40)
    assert zygote.parse_size(b"120 40 1") is None
    assert zygote.parse_size(b"-1 40") is None
    assert zygote.parse_size(b"\xff") is None
