"""Behaviour of the format engine beyond the recorded table: time, safety, lookups."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aisession_tui.server.formats import (
    display_width,
    expand,
    format_pretty_time,
    format_time,
)


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_format_time_is_ctime_with_english_names(utc: None) -> None:
    assert format_time(1700000000) == "Tue Nov 14 22:13:20 2023"
    assert format_time(1696118400) == "Sun Oct  1 00:00:00 2023"
    assert format_time(0.9) == "Thu Jan  1 00:00:00 1970"


def test_format_time_matches_tmux_ls_created() -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    base = ["tmux", "-L", f"aisession-formats-ls-{os.getpid()}", "-f", "/dev/null"]
    env = {k: v for k, v in os.environ.items() if k != "TMUX"}
    subprocess.run(base + ["new-session", "-d", "-s", "s1"], env=env, check=True)
    socket_path = ""
    try:
        socket_path = subprocess.run(
            base + ["display-message", "-p", "#{socket_path}"],
            env=env, capture_output=True, text=True, check=True,
        ).stdout.strip()
        created = subprocess.run(
            base + ["display-message", "-p", "#{session_created}"],
            env=env, capture_output=True, text=True, check=True,
        ).stdout.strip()
        listing = subprocess.run(
            base + ["list-sessions"], env=env, capture_output=True, text=True, check=True
        ).stdout
    finally:
        subprocess.run(base + ["kill-server"], env=env, capture_output=True, check=False)
        if socket_path:
            Path(socket_path).unlink(missing_ok=True)
    match = re.search(r"\(created (.+?)\)", listing)
    assert match is not None
    assert format_time(int(created)) == match.group(1)
    assert expand("#{t:session_created}", {"session_created": created}.get) == match.group(1)


def test_pretty_time_buckets(utc: None) -> None:
    now = 1700000000  # Tue Nov 14 22:13:20 2023
    assert format_pretty_time(now - 3600, now) == "21:13"
    assert format_pretty_time(now - 5 * 86400, now) == "Thu09"
    assert format_pretty_time(now - 60 * 86400, now) == "15Sep"
    assert format_pretty_time(now - 400 * 86400, now) == "Oct22"


def test_unknown_variables_expand_to_nothing_and_lookup_sees_names() -> None:
    asked: list[str] = []

    def lookup(name: str) -> str | None:
        asked.append(name)
        return "v" if name == "known" else None

    assert expand("[#{known}|#{nope}|#S]", lookup) == "[v||]"
    assert asked == ["known", "nope", "session_name"]


def test_many_variables_joined_like_libtmux() -> None:
    names = [f"var_{i}" for i in range(170)]
    values = {name: str(i) for i, name in enumerate(names)}
    template = "\u241e".join("#{" + name + "}" for name in names)
    assert expand(template, values.get).split("\u241e") == [str(i) for i in range(170)]


def test_jobs_expand_to_their_cached_output_or_nothing() -> None:
    """tmux prints nothing for ``#()`` until the job has output; a lookup without a job
    runner never has any. The command is expanded before it is asked for."""
    assert expand("a #(echo #{x}) b", {"x": "1"}.get) == "a  b"
    assert expand("#(date (nested)) end", {}.get) == " end"

    class WithJobs:
        def __init__(self) -> None:
            self.asked: list[str] = []

        def __call__(self, name: str) -> str | None:
            return {"x": "1"}.get(name)

        def job(self, command: str) -> str:
            self.asked.append(command)
            return "out #{x}"

    lookup = WithJobs()
    assert expand("a #(echo #{x}) b", lookup) == "a out 1 b"
    assert lookup.asked == ["echo 1"]


def test_self_referencing_expansion_stops_at_the_loop_limit() -> None:
    looping = {"@a": "x#{E:@a}"}
    result = expand("#{E:@a}", looping.get)
    assert set(result) == {"x"} and 50 < len(result) <= 100


def test_expand_time_runs_strftime_like_display_message(utc: None) -> None:
    year = time.strftime("%Y")
    assert expand("%Y #{@x}", {"@x": "%Y"}.get, expand_time=True) in (
        f"{year} %Y",
        f"{int(year) + 1} %Y",
    )
    assert expand("%Y", {}.get) == "%Y"
    assert expand("#{T:@x}", {"@x": "100%%"}.get) == "100%"


def test_display_width_skips_styles_and_counts_wide_chars() -> None:
    assert display_width("#[fg=red]ab日") == 4
    assert display_width("a\tb") == 2


def test_truncation_keeps_styles_whole() -> None:
    assert expand("#{=2:@s}", {"@s": "#[bold]abc"}.get) == "#[bold]ab"


_FORMAT_ALPHABET = "#{}?,:;=/|-!<>&slmtbdeEpnqwaT@x01( )[]^*\\"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_FORMAT_ALPHABET, max_size=40))
def test_expand_never_raises(template: str) -> None:
    values = {"@x": "hello", "x": "1", "@0": "0"}
    assert isinstance(expand(template, values.get), str)
