"""The engine and the layout-changing commands on fake PTYs (no shell, no socket).

Each test builds a server's services with :func:`fake_pane_factory` and runs commands
through the same dispatcher the daemon uses, inside the test's event loop; the fake
backends show what the engine did to each child (sizes set, hang-ups, input written).
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from conftest import async_wait_until

from aisession_tui.server.context import RequestContext
from aisession_tui.server.dispatch import run_argv
from aisession_tui.server.fake_pty import FIRST_FAKE_PID, FakePty, fake_pane_factory
from aisession_tui.server.pane import Pane
from aisession_tui.server.services import Services, build_services


class Model:
    """A server's services on fake PTYs, and a way to run commands against them."""

    def __init__(self, tmp: Path) -> None:
        self.backends: list[FakePty] = []
        self.services: Services = build_services(tmp / "socket",
                                                 pane_factory=fake_pane_factory(
                                                     made=self.backends))
        self.context = RequestContext(services=self.services, cwd=str(tmp),
                                      env={"HOME": str(tmp), "SHELL": "/bin/sh"})

    async def run(self, *argv: str) -> tuple[int, str, str]:
        result = await run_argv(self.context, list(argv))
        return result.exit_code, result.stdout, result.stderr

    async def ok(self, *argv: str) -> str:
        code, out, err = await self.run(*argv)
        assert code == 0, f"{argv}: {err}"
        return out

    async def panes(self, target: str = "s") -> list[str]:
        out = await self.ok("list-panes", "-t", target, "-F",
                            "#{pane_id} #{pane_width}x#{pane_height} #{pane_active}")
        return out.splitlines()

    def pane(self, pane_id: str) -> Pane:
        found = self.services.engine.registry.find_pane(int(pane_id[1:]))
        assert found is not None, pane_id
        return found[2]

    def backend(self, pane_id: str) -> FakePty:
        backend = self.pane(pane_id).backend
        assert isinstance(backend, FakePty)
        return backend

    def close(self) -> None:
        self.services.engine.kill_all()


@pytest.fixture
async def model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AI_SESSION_HOME", str(tmp_path / "home"))
    instance = Model(tmp_path)
    try:
        yield instance
    finally:
        instance.close()


async def test_split_resize_and_kill_reach_the_fake_children(model: Model) -> None:
    await model.ok("new-session", "-d", "-s", "s", "-x", "80", "-y", "24")
    first = (await model.panes())[0].split()[0]
    second = (await model.ok("split-window", "-t", "s", "-P", "-F", "#{pane_id}")).strip()
    assert await model.panes() == [f"{first} 80x12 0", f"{second} 80x11 1"]
    assert model.backend(first).resizes == [(80, 12)]     # the child hears SIGWINCH
    assert model.backend(second).size == (80, 11)           # born at its size
    await model.ok("resize-pane", "-t", first, "-y", "5")
    assert model.backend(first).size == (80, 5) and model.backend(second).size == (80, 18)
    fake = model.backend(second)
    await model.ok("kill-pane", "-t", second)
    assert fake.hangups == 1 and fake.poll() == (True, None, signal.SIGHUP)
    assert await model.panes() == [f"{first} 80x24 1"]
    assert model.backend(first).size == (80, 24)


async def test_layouts_swap_rotate_break_and_join_keep_every_child(model: Model) -> None:
    await model.ok("new-session", "-d", "-s", "s", "-x", "120", "-y", "40")
    for _ in range(3):
        await model.ok("split-window", "-t", "s")
    ids = [line.split()[0] for line in await model.panes()]
    await model.ok("select-layout", "-t", "s", "tiled")
    assert [line.split()[1] for line in await model.panes()] == \
        ["59x19", "60x19", "59x20", "60x20"]  # tmux 3.3a
    await model.ok("swap-pane", "-s", ids[0], "-t", ids[3])
    await model.ok("rotate-window", "-t", "s")
    assert sorted(line.split()[0] for line in await model.panes()) == sorted(ids)
    await model.ok("break-pane", "-d", "-s", ids[1])
    assert await model.ok("list-windows", "-t", "s", "-F", "#{window_panes}") == "3\n1\n"
    await model.ok("join-pane", "-s", "s:1", "-t", "s:0")
    assert await model.ok("list-windows", "-t", "s", "-F", "#{window_panes}") == "4\n"
    assert all(model.backend(pane).hangups == 0 for pane in ids)
    window = model.services.engine.registry.sessions[0].current
    cells = model.services.engine.pane_cells(window)
    for pane in ids:  # every child's PTY has the size of its cell
        assert model.backend(pane).size == (cells[int(pane[1:])].width,
                                            cells[int(pane[1:])].height)


async def test_windows_and_errors_use_tmux_words(model: Model) -> None:
    await model.ok("new-session", "-d", "-s", "s")
    await model.ok("new-window", "-t", "s", "-n", "two")
    names = await model.ok("list-windows", "-t", "s", "-F", "#{window_index}:#{window_name}")
    assert names.splitlines()[1] == "1:two"
    await model.ok("kill-window", "-t", "s:1")
    assert await model.run("kill-window", "-t", "s:1") == (1, "", "can't find window: 1\n")
    assert await model.run("split-window", "-t", "nope") == \
        (1, "", "can't find pane: nope\n")  # tmux 3.3a


async def test_output_exit_and_remain_on_exit(model: Model) -> None:
    await model.ok("new-session", "-d", "-s", "s")
    await model.ok("set-option", "-g", "remain-on-exit", "on")
    pane = (await model.panes())[0].split()[0]
    fake = model.backend(pane)
    assert fake.pid >= FIRST_FAKE_PID
    fake.output(b"hello from the child\r\n")
    await model.ok("send-keys", "-t", pane, "typed", "Enter")
    assert fake.written == b"typed\r"
    screen = model.pane(pane).emulator
    await async_wait_until(lambda: "typed" in screen.display()[1],
                           message="the echo on the screen")
    fake.finish(3)
    await async_wait_until(lambda: model.pane(pane).dead, message="the pane dead")
    assert await model.ok("list-panes", "-t", pane,
                          "-F", "#{pane_dead} #{pane_dead_status}") == "1 3\n"
    screen = await model.ok("capture-pane", "-p", "-t", pane)
    assert screen.splitlines()[:2] == ["hello from the child", "typed"]


async def test_declared_targets_are_resolved_before_run_with_tmux_errors(model: Model) -> None:
    await model.ok("new-session", "-d", "-s", "s")
    assert await model.run("kill-pane", "-t", "s:0.9") == (1, "", "can't find pane: 9\n")
    assert await model.run("kill-window", "-t", "s:7") == (1, "", "can't find window: 7\n")
    assert await model.run("rename-session", "-t", "nope", "x") == \
        (1, "", "can't find session: nope\n")
    # the source first, then the target (tmux 3.3a says the same)
    assert await model.run("swap-window", "-s", "s:8", "-t", "s:9") == \
        (1, "", "can't find window: 8\n")
    assert await model.run("refresh-client") == (1, "", "no current client\n")
    assert await model.run("refresh-client", "-t", "ghost") == \
        (1, "", "can't find client: ghost\n")
    assert await model.run("has-session", "-t", "s") == (0, "", "")
