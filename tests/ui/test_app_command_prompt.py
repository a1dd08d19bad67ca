"""command-prompt as tmux 3.3a runs it, in the full-screen client: several prompts asked
one after the other (``-p a,b``, ``-I x,y``), their answers in ``%1 %2`` and successive
``%%``, tmux's ``(cmd)`` label, the one-key, numeric and key-name modes, ``-F``, ``-T``
(the history the answer goes to) and a prompt already open."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from app_harness import make_app, settle, wait_for
from conftest import wait_until

from aisession_tui.client.prompt_request import fill_template, parse_request


def _label(app: Any) -> str:
    return str(app.prompt.label.content)


def _window_name(server: Any) -> str:
    return server.ok("display-message", "-p", "-t", "main", "#{window_name}").strip()


async def _renamed(server: Any, name: str) -> None:
    await asyncio.to_thread(lambda: wait_until(lambda: _window_name(server) == name,
                                               message=f"window named {name!r}"))


def _run(server: Any, body: Callable[[Any, Any], Awaitable[None]]) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: app.attached.is_set(), "attached")
            await body(app, pilot)

    asyncio.run(scenario())


async def _prompt(server: Any, app: Any, *argv: str) -> None:
    """Run command-prompt from the CLI (as a script does) and wait for the prompt."""
    await asyncio.to_thread(server.ok, "command-prompt", "-b", *argv)
    await wait_for(lambda: app.prompt.is_open, "the prompt")


def test_several_prompts_one_after_the_other(server: Any) -> None:
    async def body(app: Any, pilot: Any) -> None:
        await _prompt(server, app, "-p", "first,second", "-I", "a,#{session_name}",
                      "rename-window '%1-%2-%%'")
        assert (_label(app), app.prompt.input.value) == ("first ", "a")
        await pilot.press("x", "enter")
        await wait_for(lambda: app.prompt.is_open and _label(app) == "second ",
                       "the second prompt")
        assert app.prompt.input.value == "main"
        await pilot.press("enter")
        await _renamed(server, "ax-main-ax")   # %% is the first answer, as in tmux

    _run(server, body)


def test_successive_percent_percent_take_successive_answers(server: Any) -> None:
    async def body(app: Any, pilot: Any) -> None:
        await _prompt(server, app, "-p", "a,b", "rename-window '%%+%%'")
        await pilot.press("x", "enter")
        await wait_for(lambda: app.prompt.is_open and _label(app) == "b ", "prompt b")
        await pilot.press("y", "enter")
        await _renamed(server, "x+y")

    _run(server, body)


def test_the_label_names_the_template_s_command_and_escape_runs_nothing(server: Any) -> None:
    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("ctrl+b", "comma")                  # tmux's  , binding
        await wait_for(lambda: app.prompt.is_open, "the rename prompt")
        assert _label(app) == "(rename-window) "
        assert app.prompt.input.value == _window_name(server)
        await pilot.press("escape")
        await wait_for(lambda: not app.prompt.is_open, "closed")
        await _prompt(server, app)                             # no template: ':'
        assert _label(app) == ":"
        await pilot.press("escape")
        await wait_for(lambda: not app.prompt.is_open, "closed")
        await _prompt(server, app, "-p", "100%% sure", "-I", "50%%")  # strftime, as tmux
        assert (_label(app), app.prompt.input.value) == ("100% sure ", "50%")
        await pilot.press("escape")
        await wait_for(lambda: not app.prompt.is_open, "closed")

    _run(server, body)


def test_one_key_numeric_and_key_name_prompts(server: Any) -> None:
    async def body(app: Any, pilot: Any) -> None:
        await _prompt(server, app, "-1", "-p", "one", "rename-window 'k%%'")
        await pilot.press("q")
        await _renamed(server, "kq")
        await _prompt(server, app, "-k", "-p", "key", "rename-window 'key-%%'")
        assert _label(app) == "key "
        await pilot.press("ctrl+a")
        await _renamed(server, "key-C-a")
        await _prompt(server, app, "-k", "-p", "key", "rename-window 'key-%%'")
        await pilot.press("escape")                            # a key like any other
        await _renamed(server, "key-Escape")
        # -N: only digits are typed; another key answers, then acts as usual (here the
        # prefix, and c makes a window)
        await _prompt(server, app, "-N", "-p", "count", "-I", "1", "rename-window 'n%%'")
        await pilot.press("2", "x")
        await _renamed(server, "n12")
        await _prompt(server, app, "-N", "-p", "count", "rename-window 'n%%'")
        await pilot.press("4", "ctrl+b", "c")
        await asyncio.to_thread(lambda: wait_until(
            lambda: len(server.ok("list-windows", "-t", "main").splitlines()) == 2,
            message="the key after the number made a window"))
        assert server.ok("display-message", "-p", "-t", "main:0", "#{window_name}") == "n4\n"
        await settle(pilot)

    _run(server, body)


def test_format_template_type_history_and_an_open_prompt(server: Any) -> None:
    async def body(app: Any, pilot: Any) -> None:
        await _prompt(server, app, "-F", "-T", "target", "-p", "where",
                      "rename-window '#{session_name}/%%'")
        # a prompt is open: tmux does nothing and returns at once, even without -b
        await asyncio.to_thread(server.ok, "command-prompt", "-p", "other", "kill-server")
        await settle(pilot)
        assert _label(app) == "where "                         # the open one stays
        await pilot.press("m", "tab")                          # a target: session names
        assert app.prompt.input.value == "main:"
        await pilot.press("enter")
        await _renamed(server, "main/main:")
        assert server.ok("show-prompt-history", "-T", "target") == \
            "History for target:\n\n1: main:\n\n"
        assert "main:" not in server.ok("show-prompt-history", "-T", "command")

    _run(server, body)


def test_confirm_before_asks_with_tmux_s_label_and_runs_on_y(server: Any) -> None:
    async def body(app: Any, pilot: Any) -> None:
        await asyncio.to_thread(server.ok, "confirm-before", "-b", "renamew 'sure'")
        await wait_for(lambda: app.prompt.is_open, "the question")
        assert _label(app) == "Confirm 'rename-window'? (y/n) "
        await pilot.press("n")
        await wait_for(lambda: not app.prompt.is_open, "answered")
        await asyncio.to_thread(server.ok, "confirm-before", "-b", "-p", "#S ok?",
                                "renamew 'sure'")
        await wait_for(lambda: app.prompt.is_open, "the question")
        assert _label(app) == "main ok? "
        await pilot.press("Y")
        await _renamed(server, "sure")

    _run(server, body)


def test_a_bad_type_is_the_command_s_error(server: Any) -> None:
    async def body(app: Any, pilot: Any) -> None:
        result = await asyncio.to_thread(server.run, "command-prompt", "-T", "nope", "x")
        assert (result.code, result.err) == (1, "unknown type: nope\n")
        await settle(pilot)
        assert not app.prompt.is_open

    _run(server, body)


def test_parse_request_labels_inputs_and_modes() -> None:
    request = parse_request({"p": "a,b,c", "I": "x"}, ["cmd %1 %2 %3"])
    assert request.prompts == [("a ", "x"), ("b ", ""), ("c ", "")]
    assert parse_request({}, ["renamew -t:1 '%%'"]).prompts == [("(renamew) ", "")]
    assert parse_request({}, ["a,b"]).prompts == [("(a) ", "")]
    assert parse_request({}, []).prompts == [(":", "")]
    assert parse_request({}, []).template == "%1"
    assert parse_request({"1": True, "N": True, "k": True}, []).mode == "single"
    assert parse_request({"N": True, "k": True}, []).mode == "numeric"
    assert parse_request({"i": True, "k": True}, []).mode == "incremental"
    assert parse_request({"k": True}, []).mode == "key"
    assert fill_template("a %% b %% c %%%", ["1", "2;"]) == "a 1 b 2; c %%%"
    assert fill_template("x %2 %1 %%%", ['"q"']) == 'x %2 "q" \\"q\\"'


def test_copy_mode_repeat_prompt_counts_the_next_key(server: Any) -> None:
    """copy-mode's M-1..M-9 open tmux's numeric ``(repeat)`` prompt: digits build the
    count, the next key answers it and then moves that many times."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")
    server.ok("send-keys", "-t", "main", "clear; seq 1 40", "Enter")
    server.wait_for_text("main", "40\n")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: app.attached.is_set(), "attached")
            view = app.window_view.active_pane()
            await pilot.press("ctrl+b", "left_square_bracket")
            await wait_for(lambda: view.copy_mode is not None, "copy mode")
            start = view.copy_mode.line
            await pilot.press("alt+1")
            await wait_for(lambda: app.prompt.is_open, "the repeat prompt")
            assert (_label(app), app.prompt.input.value) == ("(repeat) ", "1")
            await pilot.press("2", "x")                        # not a digit: it answers
            await wait_for(lambda: not app.prompt.is_open, "answered by x")
            await pilot.press("alt+1")
            await wait_for(lambda: app.prompt.is_open, "the repeat prompt again")
            await pilot.press("1", "up")
            await wait_for(lambda: view.copy_mode.line == start - 11, "up 11 lines")
            await pilot.press("up")
            await wait_for(lambda: view.copy_mode.line == start - 12, "then one line")

    asyncio.run(scenario())


def test_without_b_the_command_waits_for_the_answer(server: Any) -> None:
    """As tmux: command-prompt and confirm-before from a script return once the prompt
    is over and its commands ran; confirm-before exits 1 unless confirmed."""
    async def body(app: Any, pilot: Any) -> None:
        asking = asyncio.ensure_future(asyncio.to_thread(
            server.run, "command-prompt", "-p", "name", "rename-window '%%'"))
        await wait_for(lambda: app.prompt.is_open, "the prompt")
        await settle(pilot)
        assert not asking.done()                               # it waits for the answer
        await pilot.press("w", "enter")
        result = await asking
        assert result.code == 0 and _window_name(server) == "w"   # ran before it returned
        for key, code, name in (("n", 1, "w"), ("escape", 1, "w"), ("y", 0, "yes")):
            asking = asyncio.ensure_future(asyncio.to_thread(
                server.run, "confirm-before", "rename-window yes"))
            await wait_for(lambda: app.prompt.is_open, "the question")
            await pilot.press(key)
            result = await asking
            assert (result.code, _window_name(server)) == (code, name), key

    _run(server, body)


def test_a_binding_s_commands_after_a_prompt_wait_for_it(server: Any) -> None:
    """tmux's CMD_RETURN_WAIT inside a binding: the commands after command-prompt run
    once it is over, after the answer's own commands (also when it is cancelled); with
    -b they run at once."""
    def after() -> str:
        return server.ok("show-options", "-gqv", "@after").strip()

    async def wait_after(value: str) -> None:
        await asyncio.to_thread(lambda: wait_until(lambda: after() == value,
                                                   message=f"@after {value!r}"))

    async def body(app: Any, pilot: Any) -> None:
        for key, flags in (("W", []), ("B", ["-b"])):
            await asyncio.to_thread(
                server.ok, "bind-key", key, "command-prompt", *flags, "-p", "n",
                "set -g @answer '%%'", "\\;", "set", "-gF", "@after", "#{@answer}-after")
        await pilot.press("ctrl+b", "W")
        await wait_for(lambda: app.prompt.is_open, "the prompt")
        await settle(pilot)
        assert after() == ""
        await pilot.press("x", "enter")
        await wait_after("x-after")                           # the answer's command first
        await asyncio.to_thread(server.ok, "set", "-g", "@after", "")
        await pilot.press("ctrl+b", "W")
        await wait_for(lambda: app.prompt.is_open, "the prompt")
        await settle(pilot)
        assert after() == ""
        await pilot.press("escape")
        await wait_after("x-after")                           # cancelled: they still run
        await asyncio.to_thread(server.ok, "set", "-g", "@answer", "b")
        await pilot.press("ctrl+b", "B")                       # -b: no waiting
        await wait_after("b-after")
        assert app.prompt.is_open
        await pilot.press("escape")

    _run(server, body)


def test_vi_status_keys_escape_enters_command_mode(server: Any) -> None:
    """status-keys vi, as tmux: Escape leaves insert mode instead of cancelling; in
    command mode keys move and edit (0 $ x b w D), i/a/A go back to typing, q cancels."""
    async def body(app: Any, pilot: Any) -> None:
        await asyncio.to_thread(server.ok, "set", "-g", "status-keys", "vi")
        await _prompt(server, app, "-p", "v", "-I", "one two", "rename-window '%%'")
        entry = app.prompt.input
        await pilot.press("escape")
        assert app.prompt.is_open and app.prompt.command_mode
        await pilot.press("0", "x")                            # delete the first character
        assert (entry.value, entry.cursor_position) == ("ne two", 0)
        await pilot.press("w", "D")                            # next word, kill to the end
        assert entry.value == "ne "
        await pilot.press("A", *"three")                       # append in insert mode
        assert not app.prompt.command_mode and entry.value == "ne three"
        await pilot.press("escape", "b", "i", "X")
        assert entry.value == "ne Xthree"
        await pilot.press("enter")
        await _renamed(server, "ne Xthree")
        await _prompt(server, app, "-p", "v", "rename-window '%%'")
        await pilot.press("escape", "q")                       # q cancels
        await wait_for(lambda: not app.prompt.is_open, "cancelled")
        assert _window_name(server) == "ne Xthree"

    _run(server, body)


def test_emacs_editing_keys_as_tmux(server: Any) -> None:
    """C-w deletes back to a separator and keeps the text for C-y (until the prompt
    closes); C-y without it puts in the top paste buffer's first line; C-u clears the
    line; C-t swaps the two characters before the cursor."""
    async def body(app: Any, pilot: Any) -> None:
        await asyncio.to_thread(server.ok, "set-buffer", "pasted\nsecond line")
        await _prompt(server, app, "-p", "e", "-I", "set -g foo.bar", "rename-window '%%'")
        entry = app.prompt.input
        await pilot.press("ctrl+w")
        assert entry.value == "set -g foo."
        await pilot.press("ctrl+a", "ctrl+y")
        assert (entry.value, entry.cursor_position) == ("barset -g foo.", 3)
        await pilot.press("ctrl+u", "ctrl+y")                  # kept until the prompt ends
        assert entry.value == "bar"
        await pilot.press("escape")
        await wait_for(lambda: not app.prompt.is_open, "closed")
        await _prompt(server, app, "-p", "e", "rename-window '%%'")
        await pilot.press("ctrl+y")                            # nothing kept: the buffer
        assert entry.value == "pasted"
        await pilot.press("ctrl+t")
        assert entry.value == "pastde"
        await pilot.press("enter")
        await _renamed(server, "pastde")

    _run(server, body)


def test_quoted_tokens_take_the_answer_as_one_argument(server: Any) -> None:
    """tmux fills a { } template (all its default bindings) argument by argument: an
    answer with a quote or spaces stays one argument (C-b , then "it's my window")."""
    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("ctrl+b", "comma")
        await wait_for(lambda: app.prompt.is_open, "the rename prompt")
        await pilot.press("ctrl+u", *"it's a \"window\"; x", "enter")
        await _renamed(server, "it's a \"window\"; x")

    _run(server, body)


def test_tab_completes_targets_of_t_and_s_words() -> None:
    """tmux's status_prompt_complete: ``-t``/``-s`` words complete a session name and
    ``:``; after ``:`` the current session's window indexes; a target prompt the same
    without the flag."""
    from aisession_tui.widgets.prompt_complete import complete, complete_target

    targets = (["main", "mail", "other"], ["0", "1", "12"])
    assert complete("select-window -to", 17, targets).text == "select-window -tother:"
    partial = complete("select-window -tma", 18, targets)
    assert (partial.text, partial.candidates) == ("select-window -tmai", ("-tmail:", "-tmain:"))
    assert complete("swap-window -s:1", 16, targets).candidates == ("-s:1", "-s:12")
    assert complete("select-window -tma", 18).text == "select-window -tma"   # none known
    assert complete_target("ot", 2, *targets).text == "other:"
    assert complete_target("1", 1, *targets, window_only=True).candidates == ("1", "12")


def test_the_prompt_takes_the_last_status_line_only(server: Any) -> None:
    """As tmux's status_prompt_redraw: the prompt is drawn over the last status line (with
    ``status 2`` the first stays, at the top too); the panes never move."""
    async def body(app: Any, pilot: Any) -> None:
        for position in ("bottom", "top"):
            await asyncio.to_thread(server.ok, "set", "-g", "status-position", position)
            await asyncio.to_thread(server.ok, "set", "-g", "status", "2")
            await wait_for(lambda: app.status.lines_taken() == 2, "two status lines")
            await settle(pilot)
            panes, status = app.window_view.region, app.status.region
            await _prompt(server, app, "-p", "two")
            await settle(pilot)
            assert app.window_view.region == panes and app.status.region == status
            last = status.y + status.height - 1
            assert app.prompt.region.y == last and app.prompt.region.height == 1
            assert app.screen.get_widget_at(5, last)[0] in (app.prompt, app.prompt.input,
                                                            app.prompt.label)
            assert app.screen.get_widget_at(5, status.y)[0] is app.status
            await pilot.press("escape")
            await wait_for(lambda: not app.prompt.is_open, "closed")
            await settle(pilot)
            assert app.status.region == status and app.window_view.region == panes

    _run(server, body)


def test_confirm_before_replaces_an_open_prompt(server: Any) -> None:
    """tmux's confirm-before sets its prompt over any open one (command-prompt does not)."""
    async def body(app: Any, pilot: Any) -> None:
        asking = asyncio.ensure_future(asyncio.to_thread(
            server.run, "command-prompt", "-p", "first", "rename-window '%%'"))
        await wait_for(lambda: app.prompt.is_open, "the first prompt")
        await asyncio.to_thread(server.ok, "confirm-before", "-b", "rename-window sure")
        await wait_for(lambda: _label(app).startswith("Confirm"), "the question over it")
        assert (await asking).code == 0                        # its script is let go
        await pilot.press("y")
        await _renamed(server, "sure")

    _run(server, body)
