"""Session groups (``new-session -t``) against tmux 3.3a: the same command sequences in
tmux (``-f /dev/null``) and in ai-session, every step's exit code, output and error text
compared. Members share their windows (a window made, killed, moved, swapped, renamed or
linked in one is so in all), keep their own current window, are named ``GROUP-N`` without
``-s``, and the group lasts while a member does; the group formats and ``list-sessions``'
``(group NAME)`` follow.
"""

from __future__ import annotations

from typing import Any

import pytest
from tmux_steps import compare

GROUPS = ("#{session_name}:#{window_index} #{window_id} #{window_name} #{window_active} "
          "#{window_linked} #{window_linked_sessions} [#{window_linked_sessions_list}] "
          "#{session_grouped} [#{session_group}] [#{session_group_size}] "
          "[#{session_group_list}] [#{session_group_attached}] "
          "[#{session_group_many_attached}] [#{session_group_attached_list}] "
          "#{session_windows} #{pane_id}")
LIST = ("list-windows", "-a", "-F", GROUPS)
DEFAULT_LIST = ("list-sessions", "-F", "#{session_name}: #{session_windows} windows"
                "#{?session_grouped, (group ,}#{session_group}#{?session_grouped,),}"
                "#{?session_attached, (attached),}")
"""tmux's list-sessions line without its creation time (the seconds may differ)."""
SESSIONS = ("list-sessions", "-F", "#{session_name} #{session_id} #{session_grouped} "
            "#{session_group} #{session_windows} #{window_index}")


@pytest.mark.fake_pty
def test_grouped_sessions_share_windows_as_in_tmux(server: Any, live_tmux: Any) -> None:
    compare(server, live_tmux, [
        ("new-session", "-d", "-s", "one", "-x", "80", "-y", "24"),
        ("new-window", "-d", "-t", "one:", "-n", "second"),
        ("select-window", "-t", "one:1"),
        ("new-session", "-d", "-t", "one", "-s", "two"),   # at its lowest index
        ("new-session", "-d", "-t", "one"),                # named one-N
        LIST, SESSIONS,
        ("new-window", "-d", "-t", "two:5", "-n", "five"),  # reaches every member
        ("rename-window", "-t", "one:5", "renamed"),
        ("select-window", "-t", "two:5"),                   # each its own current window
        LIST,
        ("move-window", "-s", "two:5", "-t", "two:7"),
        ("swap-window", "-s", "one:0", "-t", "one:1"),
        LIST,
        ("kill-window", "-t", "one:1"),
        LIST, SESSIONS,
        ("new-session", "-d", "-s", "other", "-x", "80", "-y", "24"),
        ("link-window", "-d", "-s", "one:0", "-t", "other:3"),  # linked beyond the group
        LIST,
        ("unlink-window", "-t", "two:0"),   # a member unlinks: gone from the whole group
        LIST, SESSIONS,
        ("kill-session", "-t", "one"),      # the group lives on in its other members
        LIST, SESSIONS,
        ("new-session", "-d", "-t", "two"),  # still named after the group
        SESSIONS,
    ])


@pytest.mark.fake_pty
def test_group_targets_names_and_errors_as_in_tmux(server: Any, live_tmux: Any) -> None:
    compare(server, live_tmux, [
        ("new-session", "-d", "-s", "base", "-x", "80", "-y", "24"),
        ("new-session", "-d", "-t", "base", "-n", "name"),
        ("new-session", "-d", "-t", "base", "-s", "x", "echo", "hi"),
        ("new-session", "-d", "-t", "base", "-s", "base"),
        ("new-session", "-d", "-t", "grp", "-x", "80", "-y", "24"),  # no such session: a group
        ("new-session", "-d", "-t", "grp", "-s", "member"),
        ("new-session", "-d", "-t", "bas", "-s", "prefix"),  # a session target's rules
        DEFAULT_LIST, SESSIONS, LIST,
        ("kill-window", "-t", "member:0"),   # the whole group's only window: both go
        SESSIONS,
    ])
