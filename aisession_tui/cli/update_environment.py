"""What of the client's environment a request carries when it makes no session: tmux's
``update-environment`` variables and ai-session's own. A module of its own, importing
nothing, so the CLI's fast path (:mod:`.fast`) and the full client (:mod:`.client`) share
it without importing each other."""

TYPE_CHECKING = False  # not typing's, and no __future__ import: the fast path pays for each
if TYPE_CHECKING:
    from collections.abc import Mapping

UPDATE_ENVIRONMENT = ("DISPLAY", "KRB5CCNAME", "SSH_ASKPASS", "SSH_AUTH_SOCK", "SSH_AGENT_PID",
                      "SSH_CONNECTION", "WINDOWID", "XAUTHORITY")
"""tmux 3.3a's default ``update-environment``: what a client's environment may change."""


def update_environment(environ: "Mapping[str, str]") -> dict[str, str]:  # noqa: UP037
    """What a request that makes no session carries of the client's environment: the
    ``update-environment`` variables and ai-session's own (``AI_SESSION*``, ``TMUX``,
    ``TMUX_PANE``); see :func:`aisession_tui.cli.client.request_environment`."""
    return {key: value for key, value in environ.items()
            if key in UPDATE_ENVIRONMENT or key.startswith("AI_SESSION")
            or key in ("TMUX", "TMUX_PANE")}
