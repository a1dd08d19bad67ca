"""The typed wire messages of ``protocol/messages.py``.

Every request and notification has its ``TypedDict``; each one is round-tripped through
the real encoder and decoder (``protocol.encode`` / ``FrameDecoder``), and what a live
server sends (an in-process server on fake PTYs) is checked against the types, so the
types say what really crosses the wire.
"""

from __future__ import annotations

import asyncio
import types
import typing
from collections.abc import Sequence
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest
from conftest import async_wait_until

from aisession_tui import protocol
from aisession_tui.protocol import messages


def problems(value: Any, expected: Any, where: str = "$") -> list[str]:
    """Where ``value`` does not have the type ``expected`` (empty when it does)."""
    if expected is Any:
        return []
    if typing.is_typeddict(expected):
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not an object"]
        hints = get_type_hints(expected)
        found = [f"{where}: missing {key!r}" for key in expected.__required_keys__
                 if key not in value]
        found += [f"{where}: unknown key {key!r}" for key in value if key not in hints]
        for key, item in value.items():
            if key in hints:
                found += problems(item, hints[key], f"{where}.{key}")
        return found
    origin = get_origin(expected)
    if origin in (Union, types.UnionType):
        options = [problems(value, option, where) for option in get_args(expected)]
        return [] if any(not found for found in options) else options[0]
    if origin in (list, Sequence):
        if not isinstance(value, list | tuple) or (origin is list and
                                                    not isinstance(value, list)):
            return [f"{where}: {type(value).__name__}, not a list"]
        (item_type,) = get_args(expected)
        return [p for index, item in enumerate(value)
                for p in problems(item, item_type, f"{where}[{index}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not an object"]
        key_type, item_type = get_args(expected)
        return [p for key, item in value.items()
                for p in problems(key, key_type, f"{where}<key>")
                + problems(item, item_type, f"{where}[{key!r}]")]
    if expected is type(None):
        return [] if value is None else [f"{where}: {value!r}, not null"]
    if expected is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, expected)
    return [] if ok else [f"{where}: {value!r} is not {getattr(expected, '__name__', expected)}"]


RUN = ["$ ", 7, 0, 1]
PANE = {"id": 0, "index": 0, "active": True, "x": 0, "y": 0, "width": 80, "height": 23,
        "visible": True, "title": "host", "dead": False, "command": "bash", "mode": "view-mode",
        "view": 2, "border_title": '0 "host"'}
WINDOW = {"id": 0, "index": 0, "name": "bash", "flags": "*", "active": True, "zoomed": False,
          "width": 80, "height": 23, "layout": "b25d,80x23,0,0,0",
          "borders": [[40, 0, 23, True]], "border_status": "off", "panes": [PANE],
          "border_style": "default", "active_border_style": "fg=green"}
STATUS = {"status": "on", "position": "bottom", "justify": "left", "style": "bg=green",
          "left": "[main] ", "left_length": 10, "left_style": "default", "right": "12:00",
          "right_length": 40, "right_style": "default", "separator": " ",
          "windows": [{"index": 0, "text": "0:bash*", "style": "default"}],
          "message_style": "bg=yellow",
          "message_command_style": "bg=black,fg=yellow", "lines": []}
RECORD = {"pane": 0, "session": "main", "seq": 1, "id": 3, "command": "make", "cwd": "/tmp",
          "exit_code": 2, "started_at": 1.5, "finished_at": 2.0, "duration_ms": 500.0,
          "parsed": {"kind": "plain"}, "clipped_items": 4}
CONTEXT = {"pane": 0, "session": "main", "tokens": 10, "max_tokens": 4096, "threshold": 0.8,
           "compressions": 0, "raw_tokens": 12, "saved_tokens": 2, "savings_percent": 16.7,
           "messages_total": 2, "omitted": 0, "merged": 0, "summarized": 0, "verbatim": 2,
           "messages": [{"id": 1, "role": "user", "text": "make"}], "text_tokens": 9}
BUS = {"id": 1, "sender": "a", "type": "note"}

REQUEST_EXAMPLES: dict[str, tuple[dict[str, Any], Any]] = {
    "hello": ({"version": 1}, {"version": 1, "pid": 42}),
    "ping": ({}, {"pid": 42, "sessions": 1, "store_failure": None}),
    "command": ({"argv": ["split-window", "-h"], "cwd": "/", "env": {"A": "b"},
                 "client_pane": "%0", "commands": [["split-window", "-h"], ["ls"]],
                 "stdin": True,
                 "mouse": {"session": 0, "window": 1, "pane": 2, "x": 5, "y": 3, "last_x": 5,
                           "last_y": 3, "status_at": 23, "status_lines": 1, "b": 2,
                           "release": False, "ignore": False, "copy_line": "a word"}},
                {"stdout": "", "stderr": "", "exit_code": 0, "data": None}),
    "stdin": ({"data": "piece \udcff of input"}, {}),
    messages.ATTACH: ({"target": "main", "columns": 80, "lines": 24, "flags": "read-only",
                       "tty": "/dev/pts/3", "termname": "screen", "pid": 42,
                       "start_directory": "#{pane_current_path}"},
                      {"client": 1, "session": "main"}),
    messages.DETACH: ({}, {}),
    messages.RESUME: ({}, {}),
    messages.INPUT: ({"pane": 0, "data": "ls\r", "data_b64": "bHMN"}, {}),
    messages.POPUP_INPUT: ({"data": "q", "data_b64": "cQ==", "mouse": {
        "kind": "down", "button": 1, "x": 3, "y": 4, "meta": False, "shift": False,
        "ctrl": False}}, {}),
    messages.STATUS_RANGES: ({"windows": [[4, 10, 0], [11, 18, 1]]}, {}),
    messages.RESIZE: ({"columns": 100, "lines": 30}, {}),
    messages.SELECT: ({"window": 1, "pane": None}, {}),
    messages.COPY_STATE: ({"pane": 1, "state": {
        "scroll_position": 3, "copy_cursor_x": 2, "copy_cursor_y": 1,
        "copy_cursor_word": "beta", "copy_cursor_line": "alpha beta",
        "selection_present": True, "selection_active": True, "selection_start_x": 0,
        "selection_start_y": 4, "selection_end_x": 2, "selection_end_y": 5}}, {}),
    messages.HISTORY: ({"pane": 0, "start": 0, "count": 2, "view": False},
                       {"history_size": 1, "lines": [[RUN]]}),
    messages.PANEL_STATE: ({"pane": 0}, {"pane": 0, "context": CONTEXT, "records": [RECORD]}),
    messages.PROMPT_HISTORY: ({"type": "command", "entry": "split-window"}, {}),
    messages.PROMPT_DONE: ({"wait": 3, "code": 1}, {}),
    messages.MODE_DONE: ({"pane": 3, "mode": "tree-mode"}, {}),
    "renderer": ({}, {"path": "/tmp/ai-session-0/default.renderer"}),
    messages.PAINT: ({"target": "main", "columns": 120, "lines": 40,
                      "env": {"TERM": "xterm-256color"}}, {"ended": "cannot paint"}),
    messages.CONTROL_START: ({"argv": ["new-session"], "env": {}, "pid": 7, "echo": True,
                              "term": "xterm", "cwd": "/", "client_pane": None},
                             {"client": "client-7"}),
    "bus.subscribe": ({"history": 5, "events": True, "hold": False, "topic": None,
                       "agent": None, "types": ["note"]},
                      {"subscription": 1, "history": [BUS], "agents": [{"name": "a"}]}),
    "bus.unsubscribe": ({"subscription": 1}, {}),
    "bus.send": ({"to": "b", "type": "note", "priority": None, "payload": {"x": 1},
                  "reply_to": None, "client_pane": "%0"}, {**BUS, "recipients": ["b"]}),
    "bus.recv": ({"agent": "b", "max": 1, "wait": 0.5}, {"messages": [BUS]}),
}

NOTIFICATION_EXAMPLES: dict[str, dict[str, Any]] = {
    messages.SESSION: {"id": 0, "name": "main", "current_window": 0, "windows": [WINDOW],
                       "status": STATUS},
    messages.SCREEN: {"pane": 0, "full": True, "columns": 80, "lines": 24,
                      "rows": {"0": [RUN, ["x", 1, 2, 0]]}, "cursor": [2, 0],
                      "cursor_visible": True, "cursor_shape": 0,
                      "modes": {"app_cursor": False, "app_keypad": False,
                                "bracketed_paste": True, "mouse": 0, "mouse_sgr": False,
                                "focus": False, "alternate": False},
                      "title": "", "dead": False},
    messages.MESSAGE: {"text": "hello", "delay": 500, "no_dismiss": True},
    messages.CLOSED: {"reason": "session closed"},
    messages.DETACHED: {"session": "main"},
    messages.LOCK: {"command": "lock -np"},
    messages.SUSPEND: {},
    messages.DISPLAY_PANES: {"args": ["-d", "0", "-N"]},
    messages.POPUP: {"open": True, "full": True, "x": 19, "y": 6, "width": 40, "height": 12,
                     "border": True, "border_lines": "single", "title": "t", "style": "default",
                     "border_style": "default", "columns": 38, "lines": 10,
                     "rows": {"0": [["hello", -1, -1, 0]]}, "cursor": [5, 0],
                     "cursor_visible": True},
    messages.MODE_KEYS: {"pane": 3, "keys": ["Down", "Enter"]},
    messages.BELL: {},
    messages.SET_SELECTION: {"text": "copied"},
    messages.MENU: {"title": "#[align=centre]0:bash", "items": [
        {"name": "Swap Left", "key": "l", "command": "swap-window -t :-1"}, None,
        {"name": "-Kill", "key": None, "command": "kill-window"}],
        "x": "W", "y": "W", "pane": [0, 0, 80, 23], "window": 0, "stay_open": False},
    messages.CLIENT_COMMAND: {"argv": ["command-prompt", "-p", "name:", "rename-window '%%'"],
                              "wait": 2},
    messages.KEYS: {"prefix": "C-b", "prefix2": "None", "repeat_time": "500",
                    "bindings": [["prefix", "%", False, "", [["split-window", "-h"]]]]},
    messages.KEY_TABLE: {"table": "copy-mode"},
    messages.CLIENT_FLAGS: {"read_only": True},
    messages.PAINT_FRAME: {"frame": "G1s/MTA0OWg="},
    messages.RECORD: RECORD,
    messages.CONTEXT: CONTEXT,
    messages.CONTROL_IN: {"line": "list-windows", "eof": False},
    messages.CONTROL_OUT: {"data": "%begin 1 1 0\n"},
    messages.CONTROL_EXIT: {},
    messages.JOB_STARTED: {"token": "t1", "job": 3},
    protocol.REPLY_PART: {"id": 4, "stdout": "part"},
    "bus.message": {"subscription": 1, "message": BUS},
    "bus.agent": {"subscription": 1, "agent": {"name": "a"}},
    "bus.task": {"subscription": 1, "task": {"id": 2}},
    "bus.attention": {"subscription": 1, "attention": {"pane": "%0"}},
    "bus.overflow": {"subscription": 1, "message": "subscriber fell behind"},
}


def _round_trip(message: dict[str, Any]) -> dict[str, Any]:
    decoder = protocol.FrameDecoder()
    items = decoder.feed(protocol.encode(message))
    assert len(items) == 1 and isinstance(items[0], dict), items
    return items[0]


def test_every_method_has_a_type_and_an_example() -> None:
    constants = {value for name, value in vars(messages).items()
                 if name.isupper() and isinstance(value, str)}
    typed = set(messages.REQUESTS) | set(messages.NOTIFICATIONS)
    assert constants <= typed, constants - typed
    assert set(REQUEST_EXAMPLES) == set(messages.REQUESTS)
    assert set(NOTIFICATION_EXAMPLES) == set(messages.NOTIFICATIONS)


@pytest.mark.parametrize("method", sorted(messages.REQUESTS))
def test_each_request_and_reply_round_trips(method: str) -> None:
    params_type, result_type = messages.REQUESTS[method]
    params, result = REQUEST_EXAMPLES[method]
    assert problems(params, params_type) == []
    assert problems(result, result_type) == []
    request = _round_trip(protocol.request(7, method, params))
    assert request["method"] == method and request["params"] == params
    assert problems(request["params"], params_type) == []
    reply = _round_trip(protocol.reply(7, result))
    assert reply["id"] == 7 and reply["result"] == result
    assert problems(reply["result"], result_type) == []


@pytest.mark.parametrize("method", sorted(messages.NOTIFICATIONS))
def test_each_notification_round_trips(method: str) -> None:
    params_type = messages.NOTIFICATIONS[method]
    params = NOTIFICATION_EXAMPLES[method]
    assert problems(params, params_type) == []
    decoded = _round_trip(protocol.notification(method, params))
    assert decoded["method"] == method and decoded["params"] == params
    assert problems(decoded["params"], params_type) == []


def test_the_checker_sees_wrong_shapes() -> None:
    pane = dict(PANE)
    del pane["x"]
    pane["colour"] = "red"
    pane["width"] = "80"
    found = problems(pane, messages.PaneInfo)
    assert "$: missing 'x'" in found and "$: unknown key 'colour'" in found
    assert any(line.startswith("$.width:") for line in found)
    assert problems({"text": 3}, messages.StatusMessage) == ["$.text: 3 is not str"]


@pytest.mark.fake_pty
def test_what_a_live_server_sends_has_the_declared_types(server: Any) -> None:
    from aisession_tui.cli.async_client import open_client

    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "24")
    server.ok("split-window", "-t", "main")
    server.ok("set-option", "-g", "pane-border-status", "top")
    notes: list[tuple[str, dict[str, Any]]] = []
    replies: list[tuple[str, Any]] = []

    async def scenario() -> None:
        client = await open_client(server.socket, on_notification=lambda method, params:
                                   notes.append((method, params)))
        try:
            async def ask(method: str, params: dict[str, Any]) -> Any:
                result = await client.request(method, params)
                replies.append((method, result))
                return result

            await ask("ping", {})
            await ask(messages.ATTACH, {"target": "main", "columns": 80, "lines": 24})
            await async_wait_until(lambda: {"session", "screen", "keys"} <= {
                method for method, _ in notes}, message="the first notifications")
            await ask("command", {"argv": ["display-message", "-p", "#{pane_id}"]})
            await ask("command", {"argv": ["display-message", "hello"]})
            await ask(messages.INPUT, {"data": "typed\r"})
            await ask(messages.RESIZE, {"columns": 100, "lines": 30})
            await ask(messages.SELECT, {"window": 0})
            await ask(messages.HISTORY, {"start": 0, "count": 10})
            await ask(messages.PANEL_STATE, {})
            await ask(messages.PROMPT_HISTORY, {"type": "command", "entry": "ls"})
            await ask("command", {"argv": ["display-panes"]})
            await ask("command", {"argv": ["switch-client", "-T", "copy-mode"]})
            await async_wait_until(lambda: {"message", "key-table", "display-panes"} <= {
                method for method, _ in notes}, message="message and key-table")
            await ask("command", {"argv": ["detach-client"]})
            await async_wait_until(lambda: any(method == "detached" for method, _ in notes),
                                   message="detached")
        finally:
            await client.close()

    asyncio.run(scenario())
    seen = {method for method, _ in notes}
    assert {"session", "screen", "keys", "message", "key-table", "display-panes",
            "detached"} <= seen
    for method, params in notes:
        assert problems(params, messages.NOTIFICATIONS[method]) == [], method
    assert any("status" in params and params["windows"][0]["panes"][0].get("border_title")
               for method, params in notes if method == "session")
    for method, result in replies:
        assert problems(result, messages.REQUESTS[method][1]) == [], method


def test_every_method_the_server_answers_is_typed(tmp_path: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from aisession_tui.server.daemon import Server

    monkeypatch.setenv("AI_SESSION_HOME", str(tmp_path))
    methods = set(Server(tmp_path / "socket").methods)
    untyped = methods - set(messages.REQUESTS) - set(messages.NOTIFICATIONS)
    assert not untyped, f"add a TypedDict to protocol/messages.py for {sorted(untyped)}"
