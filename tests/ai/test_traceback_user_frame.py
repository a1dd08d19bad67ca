"""A Python traceback's location is the deepest frame in the user's code, not the
innermost stdlib frame (issue 14: json/decoder.py:353 was reported)."""

from __future__ import annotations

from aisession_tui.ai.parsers.tracebacks import PARSER, is_library_path

TRACE = """Traceback (most recent call last):
  File "/home/me/app/main.py", line 12, in <module>
    run()
  File "/home/me/app/main.py", line 8, in run
    json.loads(text)
  File "/usr/lib/python3.11/json/__init__.py", line 346, in loads
    return _default_decoder.decode(s)
  File "/usr/lib/python3.11/json/decoder.py", line 353, in raw_decode
    obj, end = self.scan_once(s, idx)
json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)
"""


def test_location_is_the_deepest_user_frame():
    parsed = PARSER.parse(TRACE, "python3 main.py", 1)
    assert parsed is not None
    issue = parsed.issues[0]
    assert (issue.file, issue.line) == ("/home/me/app/main.py", 8)
    assert issue.code == "json.decoder.JSONDecodeError"
    assert "Expecting value" in issue.message
    frames = parsed.details["exceptions"][0]["frames"]
    assert frames[-1]["file"].endswith("json/decoder.py")


def test_all_library_frames_fall_back_to_the_innermost():
    only_lib = TRACE.replace("/home/me/app/main.py", "/usr/lib/python3.11/runpy.py")
    issue = PARSER.parse(only_lib, None, 1).issues[0]
    assert issue.file.endswith("json/decoder.py") and issue.line == 353


def test_library_paths():
    assert is_library_path("/x/.venv/lib/python3.11/site-packages/requests/api.py")
    assert is_library_path("node:internal/modules/cjs/loader")
    assert not is_library_path("src/app.py") and not is_library_path(None)
