"""A flooding pane gives the loop back to a waiting request (server/request_probe.py).

The probe answers "a request waits" for a readable watched socket and for a request task
created but not started; a pane's reader stops before its next feed when it does, and
still feeds once every other wake-up, so a request never stops a pane. Nothing here times
anything: the tests count what each wake-up fed.
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from aisession_tui.server.fake_pty import FakePty
from aisession_tui.server.pane import Pane
from aisession_tui.server.request_probe import RequestProbe
from aisession_tui.server.services import build_services


def test_a_watched_socket_with_data_is_a_waiting_request() -> None:
    request_probe = RequestProbe()
    ours, theirs = socket.socketpair()
    try:
        assert not request_probe.waiting()
        request_probe.watch(ours.fileno())
        assert not request_probe.waiting()
        theirs.sendall(b"request")
        assert request_probe.waiting()
        assert ours.recv(100) == b"request"
        assert not request_probe.waiting()
        theirs.sendall(b"more")
        request_probe.forget(ours.fileno())
        assert not request_probe.waiting()
    finally:
        request_probe.forget(ours.fileno())
        ours.close()
        theirs.close()


def test_a_task_waits_until_it_starts_or_ends() -> None:
    request_probe = RequestProbe()
    task = object()
    request_probe.scheduled(task)
    assert request_probe.waiting()
    request_probe.started(task)
    request_probe.started(task)  # its done callback after it began: harmless
    assert not request_probe.waiting()


def test_a_flooding_pane_gives_way_yet_always_moves() -> None:
    async def scenario() -> list[int]:
        pane, backend, request_probe, fed = _flooding_pane()
        backend.output(b"0123456789\n" * 5000)  # 55,000 bytes, 4 feeds' worth
        pipe_read = backend.read
        backend.read = lambda size: pipe_read(min(size, 4096))  # type: ignore[method-assign]
        request = object()
        request_probe.scheduled(request)
        wakes = []
        for _ in range(4):
            before = sum(fed)
            pane._on_readable()
            wakes.append(sum(fed) - before)
        request_probe.started(request)
        while sum(fed) < 55_000 and len(wakes) < 100:
            before = sum(fed)
            pane._on_readable()
            wakes.append(sum(fed) - before)
        pane.backend.close()
        return wakes

    wakes = asyncio.run(scenario())
    # a PTY hands out 4 KiB a read: while a request waits, every other wake-up feeds one
    # read and the others none; once it started, every wake-up feeds (a feed of up to 16
    # KiB at least, more while the wake-up's time budget lasts) until all is read
    assert wakes[:4] == [0, 4096, 0, 4096]
    assert sum(wakes) == 55_000 and all(fed >= 4096 for fed in wakes[4:])


def test_a_flooding_pane_feeds_more_at_once_until_a_request_waits(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Feeds grow toward what the emulator goes through in FEED_TIME of CPU (a clock here
    that gives every feed 0.1 ms: the size goes to its 64 KiB cap), and fall back to
    FEED_CHUNK as soon as a request is seen waiting."""
    import time as real_time
    from types import SimpleNamespace

    from aisession_tui.server import pane as pane_module

    ticks = iter(range(10**6))
    monkeypatch.setattr(pane_module, "time", SimpleNamespace(
        monotonic=real_time.monotonic, time=real_time.time,
        thread_time=lambda: next(ticks) * 0.0001))  # two calls a feed: 0.1 ms apart

    async def scenario() -> tuple[list[int], list[int]]:
        pane, backend, request_probe, fed = _flooding_pane()
        output = bytearray(b"0123456789\r\n" * 400_000)  # more than 6 wake-ups take

        def read(size: int) -> bytes:  # 4 KiB a read, as a PTY hands it out
            if not output:
                raise BlockingIOError
            taken = bytes(output[:min(size, 4096)])
            del output[:len(taken)]
            return taken

        backend.read = read  # type: ignore[method-assign]
        for _ in range(6):
            pane._on_readable()
        before_request = list(fed)
        request = object()
        request_probe.scheduled(request)
        pane._on_readable()  # gives way
        request_probe.started(request)
        del fed[:]
        pane._on_readable()
        pane.backend.close()
        return before_request, fed

    before_request, after_request = asyncio.run(scenario())
    # each full feed moves the size halfway to its cap (reads are 4 KiB: 59392 -> 61440)
    assert before_request[:4] == [16384, 40960, 53248, 61440]
    assert max(before_request) <= 65536
    assert after_request[0] == 16384


def test_the_server_s_panes_share_its_one_probe(tmp_path: Path) -> None:
    """The probe is the server's (services.request_probe), handed to the engine, which
    gives it to every pane it starts: a request the daemon schedules stops them all."""
    from aisession_tui.server.fake_pty import fake_pane_factory

    async def scenario() -> None:
        services = build_services(tmp_path / "sock", pane_factory=fake_pane_factory())
        engine = services.engine
        assert engine.request_probe is services.request_probe
        session = engine.new_session(name="probe", cwd=str(tmp_path), env={}, columns=80,
                                     lines=24, window_name=None, command=None)
        panes = session.current.ordered_panes()
        assert panes and all(pane._requests is services.request_probe for pane in panes)
        engine.kill_all()

    asyncio.run(scenario())


def _flooding_pane() -> tuple[Pane, FakePty, RequestProbe, list[int]]:
    """A pane on a fake PTY with its own probe, its reader stopped (the test drives the
    wake-ups), and the sizes of its feeds; call it with a running loop."""
    backends: list[FakePty] = []

    def backend(*args: object, **kwargs: object) -> FakePty:
        backends.append(FakePty(*args, **kwargs))  # type: ignore[arg-type]
        return backends[-1]

    request_probe = RequestProbe()
    pane = Pane(1, argv=["flood"], cwd="/", env={}, columns=80, lines=24,
                history_limit=100, integrated=False, start_command="flood",
                backend_factory=backend, requests=request_probe)
    fed: list[int] = []
    pane.listeners.on_data.append(lambda _pane, data: fed.append(len(data)))
    pane._stop_reading()
    return pane, backends[0], request_probe, fed
