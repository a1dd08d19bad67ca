"""Frame pacing per pane (``AttachedClient._send_screen``): a pane that repaints at least
half its rows in ``FLOOD_STREAK`` back-to-back frames is paced at ``FLOOD_FRAME_INTERVAL``;
a small frame, or a pause longer than ``FLOOD_GAP``, ends that. Driven with explicit clock
values on a stand-in connection and pane, so nothing depends on timing."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from aisession_tui.server import clients
from aisession_tui.server.clients import (
    FLOOD_FRAME_INTERVAL,
    FLOOD_GAP,
    FLOOD_STREAK,
    AttachedClient,
)


class Connection:
    closed = False
    write_buffer_size = 0

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def send(self, data: bytes) -> None:
        self.sent.append(data)


@pytest.fixture
def client(monkeypatch: Any) -> AttachedClient:
    monkeypatch.setattr(clients, "screen_message", lambda pane, rows, full: {"rows": len(rows)})
    return AttachedClient(SimpleNamespace(), Connection(), SimpleNamespace(), 80, 24)


PANE = SimpleNamespace(id=7, lines=24)


def frames(client: AttachedClient, rows: int, count: int, start: float,
           step: float = 1 / 60) -> float:
    for index in range(count):
        client._send_screen(PANE, set(range(rows)), False, start + index * step)
    return start + count * step


def test_a_sustained_flood_is_paced_at_the_flood_interval(client: AttachedClient) -> None:
    now = frames(client, 24, FLOOD_STREAK - 1, 100.0)
    assert client.pane_interval[PANE.id] < FLOOD_FRAME_INTERVAL
    frames(client, 12, 1, now)                     # half the rows still counts as bulk
    assert client.pane_interval[PANE.id] >= FLOOD_FRAME_INTERVAL


def test_a_small_frame_or_a_pause_ends_the_flood(client: AttachedClient) -> None:
    now = frames(client, 24, FLOOD_STREAK, 100.0)
    assert client.pane_interval[PANE.id] >= FLOOD_FRAME_INTERVAL
    now = frames(client, 1, 1, now)                # one line changed: an interactive frame
    assert client.pane_interval[PANE.id] < FLOOD_FRAME_INTERVAL
    # Bulk frames a second apart (top, htop) never become a flood.
    frames(client, 24, FLOOD_STREAK * 2, now + 1, step=FLOOD_GAP * 2)
    assert client.pane_interval[PANE.id] < FLOOD_FRAME_INTERVAL
