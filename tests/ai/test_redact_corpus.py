"""redact() leaves ordinary text alone: this project's Python source, the parser fixtures
(real tool output full of hashes, paths and the word "token"), and hand-picked look-alikes."""

from __future__ import annotations

from pathlib import Path

import pytest

from aisession_tui.ai.redact import redact

ROOT = Path(__file__).resolve().parents[2]


def corpus() -> list[Path]:
    sources = sorted((ROOT / "aisession_tui").rglob("*.py"))
    fixtures = sorted((ROOT / "tests" / "fixtures" / "parsers").rglob("*.txt"))
    return [p for p in sources + fixtures if p.name != "redact.py"]


def test_corpus_is_not_empty() -> None:
    assert len(corpus()) > 20


@pytest.mark.parametrize("path", corpus(), ids=lambda p: str(p.relative_to(ROOT)))
def test_normal_files_come_out_unchanged(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert redact(text) == text


@pytest.mark.parametrize("text", [
    "commit 748547b87cbcbabe55e87f4210558777a7e1b7d7",
    "id 123e4567-e89b-12d3-a456-426614174000",
    "aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQgZGF0YQ==",
    "sha256:6920d2e1ac24ed09e4f5b45293b3115062472a713c2cb9eaa0dd4b2606268866",
    "pip install scikit-learn; sk-learn-style-identifier-for-a-long-kebab-name",
    "Password:", "Enter passphrase for key '/root/.ssh/id_ed25519':", "password: ",
    "def login(user: str, password: str, token: str | None = None) -> None:",
    '    password = getpass.getpass("Password: ")',
    '    token = os.environ["GITHUB_TOKEN"]',
    "    client.auth(token=token, password=password)",
    "    secret = load_secret()",
    "    max_tokens = 4096",
    '    TOKEN_PATTERN = re.compile(r"[a-z]+")',
    '    headers = {"Authorization": f"Bearer {token}"}',
    "    api_key: ApiKey = settings.api_key",
    "    password_hash = bcrypt.hash(raw)",
    "export GITHUB_TOKEN=${GITHUB_TOKEN}",
    "password: ********",
    "The token is valid until tomorrow.",
    "ASIA is a continent; AKIA alone is not a key.",
    '        if token == "\\r":',
    "    if (token := next(tokens)) is not None:",
    "    if password != expected_password:",
    "const token = req.headers.authorization;",
    "token: Token = Depends(get_token)",
])
def test_look_alikes_are_not_secrets(text: str) -> None:
    assert redact(text) == text


def test_empty_and_large_inputs() -> None:
    assert redact("") == ""
    big = ("ordinary line with a path/to/file.py:12 and a hash 748547b87cbc\n" * 20000)
    assert redact(big) == big
