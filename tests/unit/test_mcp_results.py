"""What an exec result costs a model over MCP: each fact once, the output verbatim."""

from __future__ import annotations

from aisession_tui.mcp_results import as_text, finished_for_model, squeeze

PYTEST_OUT = ("==== FAILURES ====\ntest_app.py:9: AssertionError\n"
              "FAILED test_app.py::test_discount - assert 0 == 180\n1 failed, 3 passed")


def result(**changes):
    base = {"id": 7, "job": 3, "session": "s", "pane": "%0", "command": "pytest -q",
            "state": "failed", "exit_code": 1, "cwd": "/p", "duration_ms": 12.5,
            "parsed": {"kind": "test", "tool": "pytest", "status": "failure",
                       "counts": {"failed": 1, "passed": 3},
                       "failures": [{"test": "test_app.py::test_discount",
                                     "file": "test_app.py", "line": 9,
                                     "message": "assert 0 == 180"}],
                       "summary": "1 failed, 3 passed"},
            "output": PYTEST_OUT + "\n"}
    base.update(changes)
    return base


def test_echoed_fields_go_and_facts_stated_in_the_output_are_not_repeated() -> None:
    facts = finished_for_model(result())
    assert "session" not in facts and "command" not in facts and "state" not in facts
    assert "id" not in facts  # nothing left out: no need to fetch the rest
    assert "parsed" not in facts  # every failure fact is in the output word for word
    assert facts["exit_code"] == 1 and facts["job"] == 3
    assert as_text(facts) == "exit 1\n" + PYTEST_OUT


def test_a_location_the_output_does_not_state_is_kept() -> None:
    moved = result(parsed={**result()["parsed"], "failures": [
        {"test": "test_app.py::test_price", "file": "app.py", "line": 7,
         "message": "KeyError: 'kiwi'"}]},
        output="test_app.py::test_price FAILED\nKeyError: 'kiwi'\n")
    facts = finished_for_model(moved)
    assert facts["parsed"]["failures"][0]["line"] == 7


def test_a_cut_output_names_the_id_to_read_the_rest() -> None:
    cut = result(output=None, head="[build] 1", tail="config.yaml:12: unknown key",
                 omitted_lines=59_998, omitted_bytes=1_000_000)
    del cut["output"]
    facts = finished_for_model(cut)
    text = as_text(facts)
    assert facts["id"] == 7 and "get_output(id=7)" in text and "59,998 lines" in text
    assert text.splitlines()[0] == "exit 1 · job 3 · id 7"


def test_waiting_keeps_job_and_prompt_and_rules_are_squeezed() -> None:
    waiting = finished_for_model({"state": "waiting", "job": 4, "prompt": "Proceed? [y/N]",
                                  "session": "s", "hint": "ai-session job answer 4"})
    assert waiting == {"state": "waiting", "job": 4, "prompt": "Proceed? [y/N]"}
    assert as_text(waiting).endswith("Proceed? [y/N]")
    assert squeeze("====== FAILURES ======   \n----x") == "=== FAILURES ===\n----x"


def test_success_says_nothing_of_its_exit_but_the_structured_result_does():
    facts = finished_for_model({"state": "finished", "exit_code": 0, "output": "a.txt\n",
                                "session": "s", "command": "ls"})
    assert as_text(facts).strip() == "a.txt" and facts["exit_code"] == 0
    assert as_text(finished_for_model({"state": "finished", "exit_code": 0})) == ""
