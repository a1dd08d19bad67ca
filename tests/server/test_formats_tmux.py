"""tmux 3.3a format expansion: recorded expectations, replayed against real tmux when present.

Every (template, expected) pair below was produced by ``tmux 3.3a display -p`` with the
user options in ``VARIABLES`` set globally and ``TZ=UTC``. The unit test replays them
through ``formats.expand`` without tmux; the oracle test asks the installed tmux again,
so a drift on either side shows up.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aisession_tui.server.formats import expand

VARIABLES: dict[str, str] = {
    "@x": "hello",
    "@e": "",
    "@z": "0",
    "@n": "42",
    "@p": "/usr/local/bin/python3",
    "@t": "1700000000",
    "@q": "#{@x}!",
    "@c": "a,b",
    "@u": "héllo wörld",
    "@w": "日本語です",
    "@s": "a b$c",
    "@h": "a#b",
    "@sl": "/",
    "@ds": "a/b//",
    "@ctl": "a\tb",
}

CASES: list[tuple[str, str]] = [
    ('#{@x}', 'hello'),
    ('#{?@x,y,n}', 'y'),
    ('#{?@e,y,n}', 'n'),
    ('#{?@z,y,n}', 'n'),
    ('#{?1,y,n}', 'n'),
    ('#{?0,a,1,b,c}', '1,b,c'),
    ('#{?@nope,y,n}', 'n'),
    ('a#{@x', 'a'),
    ('a##b', 'a#b'),
    ('#,x', ',x'),
    ('a#:b', 'a#:b'),
    ('x#}y', 'x}y'),
    ('#', '#'),
    ('ab#', 'ab#'),
    ('#[fg=red]x', '#[fg=red]x'),
    ('##[x', '##[x'),
    ('###[x', '###[x'),
    ('#Z', '#Z'),
    ('#{==:#{@x},hello}', '1'),
    ('#{<:a,b}', '1'),
    ('#{>:a,b}', '0'),
    ('#{<=:a,a}', '1'),
    ('#{m:h*,#{@x}}', '1'),
    ('#{m:*l*,hello}', '1'),
    ('#{m/i:H*,hello}', '1'),
    ('#{m/r:^h.l,hello}', '1'),
    ('#{=2:@x}', 'he'),
    ('#{=-2:@x}', 'lo'),
    ('#{=/2/...:@x}', 'he...'),
    ('#{=-3/..:@x}', 'hello'),
    ('#{t:@t}', 'Tue Nov 14 22:13:20 2023'),
    ('#{b:@p}', 'python3'),
    ('#{d:@p}', '/usr/local/bin'),
    ('#{b:#{@p}}', '/usr/local/bin/python3'),
    ('#{l:#{@x}}', '#{@x}'),
    ('#{s/l/L/:@x}', 'heLLo'),
    ('#{s/(l+)/[\\1]/:@x}', 'he[ll]o'),
    ('#{e|+|:1,2}', '3'),
    ('#{e|*|:#{@n},2}', '84'),
    ('#{e|/|:7,2}', '3'),
    ('#{e|/|f|:7,2}', '3.50'),
    ('#{e|/|f|4:7,2}', '3.5000'),
    ('#{e|%|:7,2}', '1'),
    ('#{e|/|:7,0}', '-9223372036854775808'),
    ('#{e|/|f|:7,0}', 'inf'),
    ('#{e|/|f|:0,0}', '-nan'),
    ('#{e|%|:7,0}', '-9223372036854775808'),
    ('#{e|+|:a,2}', ''),
    ('#{e|==|:2,2}', '1'),
    ('#{n:@x}', '5'),
    ('#{w:@x}', '5'),
    ('#{p10:@x}|', 'hello     |'),
    ('#{p-10:@x}|', '     hello|'),
    ('#{q:@p}', '/usr/local/bin/python3'),
    ('#{a:65}', 'A'),
    ('#{||:0,1}', '1'),
    ('#{&&:1,}', '0'),
    ('#{?#{==:#{@x},hello},yes,no}', 'yes'),
    ('#{?,a,b}', 'b'),
    ('#{?@x}', ''),
    ('#{?@x,a}', ''),
    ('#{==:a}', ''),
    ('#{E:@q}', 'hello!'),
    ('#{@x}#{', 'hello'),
    ('#{t/p:@t}', 'Nov23'),
    ('#{s/l/#{@n}/:@x}', 'he4242o'),
    ('#{=3;s/h/H/:@x}', 'Hel'),
    ('a#{?@x}b', 'a'),
    ('a#{==:a}b', 'a'),
    ('a#{}b', 'ab'),
    ('a#{?}b', 'a'),
    ('#{?@x,#{@x},none}', 'hello'),
    ('#{?@x,a#,b,c}', 'a,b'),
    ('#{!=:a,b}', '1'),
    ('#{>=:b,a}', '1'),
    ('#{=0:@x}', 'hello'),
    ('#{=:@x}', 'hello'),
    ('#{=x:@x}', 'hello'),
    ('#{@x:foo}', ''),
    ('#{zz:@x}', ''),
    ('#{s/l/L:@x}', 'heLLo'),
    ('#{s/l/L/i:@x}', 'heLLo'),
    ('#{s/L/X/i:@x}', 'heXXo'),
    ('#{s/^h/H/:@x}', 'Hello'),
    ('#{s/l*/X/:@x}', 'hXeXoX'),
    ('#{s/x*/-/:@x}', 'h-e-l-l-o-'),
    ('#{s/l/\\\\/:@x}', 'he\\\\o'),
    ('#{@q}', '#{@x}!'),
    ('#{?@c,yes,no}', 'yes'),
    ('#{@c}', 'a,b'),
    ('#{=3:@u}', 'hél'),
    ('#{=-3:@u}', 'rld'),
    ('#{=3:@w}', '日'),
    ('#{=-3:@w}', 'す'),
    ('#{=-4/>:@w}', '日本語です'),
    ('#{n:@w}', '15'),
    ('#{w:@w}', '10'),
    ('#{p8:@w}|', '日本語です|'),
    ('#{p12:@w}|', '日本語です  |'),
    ('#{q:@s}', 'a\\ b\\$c'),
    ('#{q/h:@h}', 'a##b'),
    ('#{m:*,}', '1'),
    ('#{m:[a-c]*,bob}', '1'),
    ('#{m:[!a-c]*,bob}', '0'),
    ('#{m:\\*x,*x}', '1'),
    ('#{m:a\\*,ab}', '0'),
    ('#{m:?o?,bob}', '1'),
    ('#{m:[]]x,]x}', '1'),
    ('#{m:[a,bob}', '0'),
    ('#{?#{@x},1,0}', '1'),
    ('#{?#{@nope},1,0}', '0'),
    ('#{==:#{l:#{@x}},#{@x}}', '0'),
    ('#{l:a,b}', 'a,b'),
    ('#{b:}', ''),
    ('#{d:@x}', '.'),
    ('#{b:@sl}', '/'),
    ('#{d:@sl}', '/'),
    ('#{b:@ds}', 'b'),
    ('#{d:@ds}', 'a'),
    ('#{b:@nope}', ''),
    ('#{t:@x}', ''),
    ('#{t:@nope}', ''),
    ('#{t:@z}', ''),
    ('#{e|-|:10,3}', '7'),
    ('#{e|-|f|1:10,3.25}', '6.8'),
    ('#{e|<|:1,2}', '1'),
    ('#{e|m|:7,3}', '1'),
    ('#{e|x|:7,3}', ''),
    ('#{e|+|:,}', '0'),
    ('#{e|+|: 1,0x10}', '17'),
    ('#{e|+|:1.9,1.9}', '2'),
    ('#{e|+|:-1.9,0}', '-1'),
    ('#{e|*|f|0:1.5,3}', '4'),
    ('#{e|+|f|z:1,2}', ''),
    ('#{e|+|: ,1}', ''),
    ('#{e|+|:1 ,1}', ''),
    ('#{e|+|:1e3,1}', '1001'),
    ('#{e|+|f|-1:1,1}', '2.000000'),
    ('#{e|+|:1,2,3}', ''),
    ('#{e|+|:1}', ''),
    ('#{e:1,2}', ''),
    ('#{||:,}', '0'),
    ('#{&&:1,x}', '1'),
    ('#{?#{&&:#{@x},#{@n}},both,no}', 'both'),
    ('#{==:a,a,b}', '0'),
    ('#{==:a#,b,a#,b}', '1'),
    ('x#{l:}y', 'xy'),
    ('#{@x}#{@n}', 'hello42'),
    ('#{a:300}', ''),
    ('#{a:x}', ''),
    ('#{a: 66}', 'B'),
    ('#{=/3/…:@x}', 'hel…'),
    ('#{=3/…:@x}', 'hello'),
    ('#{s|l|L|:@x}', 'heLLo'),
    ('#{s/l/L/;=3:@x}', 'heL'),
    ('#{=-2;s/o/O/:@x}', 'lO'),
    ('#{T:@x}', 'hello'),
    ('#{m/ri:^H,hello}', '1'),
    ('#{s/(h)(e)/\\2\\1/:@x}', 'ehllo'),
    ('#{s/e/\\\\1/:@x}', 'h\\1llo'),
    ('#{s/(/x/:@x}', 'hello'),
    ('#{m/r:(,x}', '0'),
    ('#{?@z,,zero}', 'zero'),
    ('#{?@x,,}', ''),
    ('#{?@x,a,b}#{?@e,c,d}', 'ad'),
    ('#{?@x,#{?@n,in,out},z}', 'in'),
    ('#{?@x,a##b,c}', 'a#b'),
    ('#{?#{m:h*,#{@x}},match,nomatch}', 'match'),
    ('#{#{@x}}', 'hello'),
    ('#{@#{@x}}', '@hello'),
    ('#{l:#{}', ''),
    ('#{?@x,#{@x', ''),
    ('#{@x}}', 'hello}'),
    ('#{{@x}', ''),
    ('#{:@x}', 'hello'),
    ('#{;=2:@x}', 'he'),
    ('#{=2;:@x}', 'he'),
    ('#{=2;=-1:@x}', 'o'),
    ('#{s/[[:alpha:]]/_/:@x}', ''),
    ('#{s/[[:digit:]]/_/:@n}', ''),
    ('#{=2:@ctl}', 'ab'),
    ('#{=5:@ctl}', 'ab'),
    ('#{=-2:@ctl}', 'a\tb'),
    ('#{w:@ctl}', '2'),
    ('#{n:@ctl}', '3'),
    ('#(echo hi', ''),
    ('#{E:@x}', 'hello'),
    ('#{b:#{l:/a/b}}', '/a/b'),
    ('#{t:#{@t}}', '1700000000'),
    ('#{?@x,#{?},b}', ''),
    ('a#{?@x,#{==:x},b}c', 'ac'),
    ('#{s/#{@x}/Y/:@x}', 'Y'),
    ('#{s/h/#,/:@x}', ',ello'),
    ('#{m:#{@x},hello}', '1'),
    ('#{<:#{@w},a}', '0'),
    ('#{>:Z,a}', '0'),
    ('#{e|%|f|:7,0}', '-nan'),
    ('#{e|/|f|:-7,0}', '-inf'),
    ('#{e|*|f|:inf,0}', '-nan'),
    ('#{e|-|f|:inf,inf}', '-nan'),
    ('#{e|+|f|:nan,1}', 'nan'),
    ('#{e|+|f|:-nan,1}', '-nan'),
    ('#{e|/|f|:1,0}', 'inf'),
    ('#{e|>|f|:2,1}', '1.00'),
    ('#{e|!=|:2,1}', '1'),
    ('#{e|-|:0x1p3,1}', '7'),
]


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(("template", "expected"), CASES)
def test_expand_matches_recorded_tmux(utc: None, template: str, expected: str) -> None:
    assert expand(template, VARIABLES.get) == expected


@pytest.fixture(scope="module")
def tmux_display() -> Iterator[object]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    base = ["tmux", "-L", f"aisession-formats-{os.getpid()}", "-f", "/dev/null"]
    env = dict(os.environ, TZ="UTC")
    env.pop("TMUX", None)
    subprocess.run(base + ["new-session", "-d", "-x", "80", "-y", "24"], env=env, check=True)
    socket_path = subprocess.run(
        base + ["display-message", "-p", "#{socket_path}"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    try:
        for name, value in VARIABLES.items():
            subprocess.run(base + ["set-option", "-g", name, value], env=env, check=True)

        def display(template: str) -> str:
            result = subprocess.run(
                base + ["display-message", "-p", template],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            return result.stdout.removesuffix("\n")

        yield display
    finally:
        subprocess.run(base + ["kill-server"], env=env, capture_output=True, check=False)
        Path(socket_path).unlink(missing_ok=True)


def test_recorded_cases_agree_with_installed_tmux(utc: None, tmux_display) -> None:  # type: ignore[no-untyped-def]
    disagreements = []
    for template, expected in CASES:
        actual = tmux_display(template)
        ours = expand(template, VARIABLES.get)
        if not actual == expected == ours:
            disagreements.append((template, actual, expected, ours))
    assert disagreements == []


def test_aliases_expand_like_tmux(tmux_display) -> None:  # type: ignore[no-untyped-def]
    template = "#S:#I.#P #W #D [#T] #F #H #h ##S #Q"

    def lookup(name: str) -> str | None:
        return tmux_display("#{" + name + "}")

    assert expand(template, lookup) == tmux_display(template)
