"""The action registry says where each action runs, and every id has somewhere to run.

``client`` ids have a handler in the table built next to the handlers
(:data:`aisession_tui.client.actions.HANDLERS`), ``server`` ids are commands of the
server's registry (the dispatcher sends them as tmux argv), ``copy-mode:*`` ids are
copy-mode commands. No id is left without an implementation.
"""

from __future__ import annotations

from aisession_tui.client.actions import HANDLERS
from aisession_tui.keymaps.actions import (
    ACTIONS,
    CLIENT,
    COPY_MODE,
    COPY_MODE_PREFIX,
    SERVER,
    action_target,
)
from aisession_tui.server.commands import find


def test_the_client_handles_exactly_the_client_actions() -> None:
    client_ids = {action.id for action in ACTIONS.values() if action.target == CLIENT}
    assert set(HANDLERS) == client_ids
    assert "toggle-panel" in client_ids and "command-prompt" in client_ids


def test_every_server_action_is_a_command_of_the_server_registry() -> None:
    server_ids = [action.id for action in ACTIONS.values() if action.target == SERVER]
    assert server_ids
    for action_id in server_ids:
        assert find(action_id).name == action_id


def test_copy_mode_ids_run_in_copy_mode_and_nothing_else_does() -> None:
    for action in ACTIONS.values():
        assert (action.target == COPY_MODE) == action.id.startswith(COPY_MODE_PREFIX)


def test_the_ids_that_had_no_implementation_have_one_now() -> None:
    for action_id in ("clear-history", "previous-layout", "respawn-window", "run-shell"):
        assert action_target(action_id) == SERVER and find(action_id).name == action_id
    assert action_target("find-window") == CLIENT and "find-window" in HANDLERS


def test_an_id_outside_the_registry_goes_to_the_server() -> None:
    assert action_target("list-windows") == SERVER
    assert action_target("copy-mode:cursor-up") == COPY_MODE


def test_the_thin_renderer_suspends_through_its_own_table() -> None:
    from aisession_tui.client.renderer import ThinClientActions, ThinClientApp

    assert ThinClientApp.actions_class is ThinClientActions
    assert set(ThinClientActions.handlers) - set(HANDLERS) == {"suspend-client"}


def test_no_app_class_keeps_a_handler_the_table_would_not_see() -> None:
    """Handlers are found in the tables only: a ``do_<action>`` method would never run."""
    from aisession_tui.client.app import MultiplexerApp
    from aisession_tui.client.renderer import ThinClientApp

    for cls in (MultiplexerApp, ThinClientApp):
        assert not [name for name in dir(cls) if name.startswith("do_")]
