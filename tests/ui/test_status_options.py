"""The status line follows tmux's options live: ``status-style``, ``status-left``,
``status-right``, window formats and styles, ``status-justify``, ``status`` off and
``status-position`` set while a client is attached change what it draws; palette colours
stay palette colours (``colour123`` reaches the terminal as index 123)."""

from __future__ import annotations

import asyncio
from typing import Any

from app_harness import make_app, wait_for, wait_text


def run(scenario: Any) -> None:
    asyncio.run(scenario())


def _line(app: Any) -> Any:
    return app.status.render()


def test_status_options_take_effect_while_attached(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.ok("new-window", "-t", "main", "-n", "second")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            await wait_for(lambda: _line(app).plain.startswith("[main] 0:bash- 1:second*"),
                           "the default status line")
            server.ok("set", "-g", "status-style", "fg=colour123,bg=#1e1e2e,bold")
            server.ok("set", "-g", "status-right", "#[fg=red]R:#{session_name}")
            server.ok("set", "-g", "status-left", "<#{session_windows}> ")
            server.ok("setw", "-g", "window-status-current-style", "reverse")
            server.ok("setw", "-g", "window-status-format", "#I=#W")
            await wait_for(lambda: _line(app).plain.rstrip().endswith("R:main"),
                           "the new status-right")
            line = _line(app)
            assert line.plain.startswith("<2> 0=bash 1:second*")
            base = line.style
            assert base.color.number == 123 and base.bgcolor.triplet.hex == "#1e1e2e"
            assert base.bold
            right_at = line.plain.index("R:main")
            spans = [span for span in line.spans if span.start <= right_at < span.end]
            assert any(span.style.color is not None and span.style.color.number == 1
                       for span in spans)
            current_at = line.plain.index("1:second*")
            assert any(span.style.reverse for span in line.spans
                       if span.start <= current_at < span.end)
            server.ok("set", "-g", "status-justify", "right")
            await wait_for(lambda: _line(app).plain.rstrip().endswith("1:second*R:main"),
                           "the window list against status-right")
            server.ok("set", "-g", "status-position", "top")
            await wait_for(lambda: app.status.region.y == 0, "status line on top")
            server.ok("set", "-g", "status", "off")
            await wait_for(lambda: not app.status.display, "status line hidden")
            server.ok("set", "-g", "status", "on")
            await wait_for(lambda: app.status.display, "status line back")

    run(scenario)


def test_message_style_colours_messages(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            server.ok("set", "-g", "message-style", "fg=white,bg=colour52")
            await wait_for(lambda: (app.status.status or {}).get("message_style") ==
                           "fg=white,bg=colour52", "message-style reached the client")
            app.status.show_message("hello")
            line = _line(app)
            assert line.style.bgcolor.number == 52 and line.style.color.number == 7

    run(scenario)


def test_border_styles_take_effect_while_attached(server: Any) -> None:
    """``pane-border-style``/``pane-active-border-style`` set at run time; the active
    border's default turns red under ``synchronize-panes``, as in tmux."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.ok("split-window", "-h", "-t", "main")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            canvas = app.window_view.canvas

            def border_colours() -> set[int | None]:
                """The separator's lower rows: the active (right) pane's half of it, as
                tmux colours the border of two panes."""
                colours = set()
                for y in range(20, 23):
                    for segment in canvas.render_line(y):
                        if segment.text.strip() and segment.style and segment.style.color:
                            colours.add(segment.style.color.number)
                return colours

            server.ok("set", "-w", "-t", "main", "synchronize-panes", "on")
            await wait_for(lambda: 1 in border_colours(), "a red active border")
            server.ok("set", "-g", "pane-active-border-style", "fg=colour200")
            server.ok("set", "-g", "pane-border-style", "fg=colour33")
            await wait_for(lambda: border_colours() == {200},
                           "the active border in colour200")

    run(scenario)


def test_a_shell_command_in_status_right_shows_its_output(server: Any) -> None:
    """``#()`` runs in the background: the line is drawn at once without it, then with
    its output; a command that hangs never holds the line back."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            server.ok("set", "-g", "status-right", "#(sleep 60)[#(echo job-out)]")
            await wait_for(lambda: _line(app).plain.rstrip().endswith("[job-out]"),
                           "the job's output in the status line")

    run(scenario)
