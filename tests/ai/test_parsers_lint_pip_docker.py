"""pip parser (real pip against local wheels / a missing index) and docker build parser
(authentic samples from public issue threads, see fixtures/parsers/docker_build/README.txt)."""

from __future__ import annotations

from pathlib import Path

from aisession_tui.ai.parsers import docker_build, parse_output, pip

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_pip_not_found() -> None:
    text = load("pip/not_found.txt")
    assert pip.PARSER.matches(None, text)
    result = pip.PARSER.parse(text, "pip install --index-url file:///nonexistent nosuchpkg", 1)
    assert (result.kind, result.tool, result.status) == ("package", "pip", "failure")
    assert [(i.severity, i.code) for i in result.issues] == [
        ("warning", None), ("error", "nosuchpkg"), ("error", "nosuchpkg")]
    assert result.summary == ("ERROR: Could not find a version that satisfies the requirement "
                              "nosuchpkg (from versions: none)")
    assert (result.counts["errors"], result.counts["warnings"], result.counts["installed"]) == (2, 1, 0)


def test_pip_resolver_conflict() -> None:
    result = parse_output(load("pip/resolver_conflict.txt"), "python -m pip install pkga pkgb", 1)
    assert (result.tool, result.status) == ("pip", "failure")
    assert result.details["conflicts"] == ["pkga 1.0 depends on pkgc==1.0", "pkgb 1.0 depends on pkgc==2.0"]
    assert result.summary.startswith("ERROR: Cannot install pkga==1.0 and pkgb==1.0")
    assert result.counts["conflicts"] == 2 and result.counts["errors"] == 2


def test_pip_success_and_already_satisfied() -> None:
    ok = parse_output(load("pip/install_success.txt"), "pip install pkga", 0)
    assert (ok.tool, ok.status) == ("pip", "success")
    assert ok.details["installed"] == [{"name": "pkga", "version": "1.0"}, {"name": "pkgc", "version": "1.0"}]
    assert ok.summary == "Successfully installed pkga-1.0 pkgc-1.0"
    again = parse_output(load("pip/already_satisfied.txt"), "pip3 install pkga", 0)
    assert again.details["already_satisfied"] == ["pkga", "pkgc==1.0"]
    assert again.counts["already_satisfied"] == 2 and again.status == "success"


def test_docker_classic_failures() -> None:
    for name, code, step, count in (
            ("classic_step_failure", 127, "Step 9/12 : RUN ./build_libpostal.sh", 3),
            ("classic_old_format", 139, "Step 4 : RUN rm -f /usr/sbin/policy-rc.d", 4)):
        text = load(f"docker_build/{name}.txt")
        assert docker_build.PARSER.matches(None, text)
        result = docker_build.PARSER.parse(text, "docker build .", 1)
        assert (result.kind, result.tool, result.status) == ("build", "docker", "failure")
        assert result.details["builder"] == "classic"
        assert result.details["failed_step"] == step and result.details["step_exit_code"] == code
        assert result.counts == {"errors": 1, "steps": count}
        assert [(i.file, i.line, i.code) for i in result.issues] == [(None, None, f"exit {code}")]


def test_docker_buildkit_failed_to_solve_has_dockerfile_location() -> None:
    text = load("docker_build/buildkit_failed_to_solve.txt")
    result = parse_output(text, "docker buildx build -t x .", 1)
    assert result.tool == "docker"
    assert [(i.file, i.line, i.code) for i in result.issues] == [("Dockerfile", 10, "exit 100")]
    assert result.issues[0].message.startswith('ERROR: failed to solve: process "/bin/sh -c apt-get')
    assert result.summary == result.issues[0].message


def test_docker_buildkit_plain_outputs() -> None:
    frontend = parse_output(load("docker_build/buildkit_plain_frontend.txt"), None, 1)
    assert frontend.tool == "docker" and frontend.details["builder"] == "buildkit"
    assert frontend.counts == {"errors": 1, "steps": 2}
    assert frontend.issues[0].message.startswith("failed to solve with frontend dockerfile.v0")
    make_in_step = docker_build.PARSER.parse(load("docker_build/buildkit_plain_make.txt"), "docker build .", 1)
    assert len(make_in_step.issues) == 1 and make_in_step.issues[0].file is None


def test_docker_buildkit_step_error_line() -> None:
    text = ('#8 [4/5] RUN pnpm install --frozen-lockfile\n#8 0.123 Lockfile is up to date\n'
            '#8 ERROR: process "/bin/sh -c pnpm install --frozen-lockfile" did not complete '
            "successfully: exit code: 1\n")
    result = docker_build.PARSER.parse(text, "docker build .", 1)
    assert result.details["failed_step"] == "#8 [4/5] RUN pnpm install --frozen-lockfile"
    assert [i.code for i in result.issues] == ["exit 1"]


def test_docker_matches_only_build_commands() -> None:
    assert docker_build.PARSER.matches("docker compose build web", "")
    assert not docker_build.PARSER.matches("docker ps", "Step 1/2 : FROM x")
