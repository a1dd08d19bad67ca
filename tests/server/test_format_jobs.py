"""``#()`` jobs: started in the background, never waited for, output cached and bounded."""

from __future__ import annotations

import asyncio

from aisession_tui.server.format_jobs import JobRunner


def test_a_job_answers_at_once_and_later_with_its_last_line() -> None:
    async def scenario() -> None:
        updates: list[int] = []
        runner = JobRunner(on_update=lambda: updates.append(1))
        assert runner.output("printf 'one\\ntwo\\n'") == ""
        for _ in range(300):
            if runner.output("printf 'one\\ntwo\\n'") == "two":
                break
            await asyncio.sleep(0.02)
        assert runner.output("printf 'one\\ntwo\\n'") == "two"
        assert updates
        assert runner.output("printf 'no newline'") == ""
        for _ in range(300):
            if runner.output("printf 'no newline'") == "no newline":
                break
            await asyncio.sleep(0.02)
        assert runner.output("printf 'no newline'") == "no newline"
        runner.close()

    asyncio.run(scenario())


def test_a_hanging_job_never_blocks_and_is_not_started_twice() -> None:
    async def scenario() -> None:
        runner = JobRunner()
        assert runner.output("sleep 30") == ""
        await asyncio.sleep(0)
        job = runner.jobs[("sleep 30", "/")]
        task = job.task
        for _ in range(3):
            assert runner.output("sleep 30") == ""
        assert job.task is task
        runner.close()
        await asyncio.sleep(0.1)

    asyncio.run(scenario())


def test_without_an_event_loop_a_job_is_not_started() -> None:
    runner = JobRunner()
    assert runner.output("echo hi") == ""
    assert runner.jobs[("echo hi", "/")].task is None


def test_a_finished_job_runs_again_only_after_the_interval() -> None:
    async def scenario() -> None:
        runner = JobRunner()
        runner.interval = 3600
        runner.output("echo once")
        job = runner.jobs[("echo once", "/")]
        for _ in range(300):
            if runner.output("echo once") == "once" and job.task is None:
                break
            await asyncio.sleep(0.02)
        started = job.started
        runner.output("echo once")
        assert job.task is None and job.started == started
        runner.close()

    asyncio.run(scenario())
