"""redact(): realistic (fake, correctly shaped) credentials are masked by kind, only the
value of an assignment is masked, and redaction is idempotent."""

from __future__ import annotations

import pytest

from aisession_tui.ai.redact import redact

# Fake credentials with the real shapes; none of them is a live key.
OPENAI_PROJECT = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5uVw8xYz"
OPENAI_LEGACY = "sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l"
ANTHROPIC = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa-Zx9Yw8Vu7Ts6Rq5Po4Nm3AA"
GITHUB_PAT = "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R"
GITHUB_FINE = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP0123456789abc"
JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
       "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")
PRIVATE_KEY = ("-----BEGIN OPENSSH PRIVATE KEY-----\n"
               "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
               "QyNTUxOQAAACBmYWtlLWtleS1mb3ItdGVzdHMtb25seQAAAAAAAAAAAAAAAAAAAAAAAA==\n"
               "-----END OPENSSH PRIVATE KEY-----")


@pytest.mark.parametrize("text,expected", [
    (f"export OPENAI_API_KEY={OPENAI_PROJECT}", "export OPENAI_API_KEY=[REDACTED:openai-key]"),
    (f"key {OPENAI_LEGACY} end", "key [REDACTED:openai-key] end"),
    (f'ANTHROPIC_API_KEY="{ANTHROPIC}"', 'ANTHROPIC_API_KEY="[REDACTED:anthropic-key]"'),
    ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "aws_access_key_id = [REDACTED:aws-access-key-id]"),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     "aws_secret_access_key = [REDACTED:aws-secret-key]"),
    ("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     "AWS_SECRET_ACCESS_KEY=[REDACTED:aws-secret-key]"),
    (f"GITHUB_TOKEN={GITHUB_PAT}", "GITHUB_TOKEN=[REDACTED:github-token]"),
    (f"pat: {GITHUB_FINE}", "pat: [REDACTED:github-token]"),
    ("git clone https://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r.git",
     "git clone https://x-access-token:[REDACTED:github-token]@github.com/o/r.git"),
    ("SLACK=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "SLACK=[REDACTED:slack-token]"),
    ("post to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX now",
     "post to [REDACTED:slack-webhook] now"),
    ('curl -H "Authorization: Bearer abc123def456ghi789jkl012mno345" https://api.example.com',
     'curl -H "Authorization: Bearer [REDACTED:bearer-token]" https://api.example.com'),
    ("Authorization: Basic dXNlcjpwYXNzd29yZDEyMw==", "Authorization: Basic [REDACTED:basic-auth]"),
    (f"cookie {JWT}", "cookie [REDACTED:jwt]"),
    (f"before\n{PRIVATE_KEY}\nafter", "before\n[REDACTED:private-key]\nafter"),
    ("mysql --password=hunter2 -u root", "mysql --password=[REDACTED:password] -u root"),
    ("DB_PASSWORD=s3cr3t!", "DB_PASSWORD=[REDACTED:password]"),
    ("db:\n  password: hunter2\n  user: app", "db:\n  password: [REDACTED:password]\n  user: app"),
    ("passwd: Tr0ub4dor&3", "passwd: [REDACTED:password]"),
    ('{"api_key": "abcd1234efgh5678", "name": "x"}', '{"api_key": "[REDACTED:api-key]", "name": "x"}'),
    ("https://example.com/cb?token=abc123xyz&state=ok", "https://example.com/cb?token=[REDACTED:token]&state=ok"),
    ("client_secret = 'q8w7e6r5t4y3'", "client_secret = '[REDACTED:secret]'"),
    ("secret=topsecret42", "secret=[REDACTED:secret]"),
    ("postgres://admin:Pa55word@db.example.com:5432/app",
     "postgres://admin:[REDACTED:url-password]@db.example.com:5432/app"),
])
def test_secret_is_masked_with_its_kind(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_only_the_value_of_an_assignment_is_masked() -> None:
    out = redact("PASSWORD=hunter2 USER=alice TOKEN=abc123def")
    assert out == "PASSWORD=[REDACTED:password] USER=alice TOKEN=[REDACTED:token]"


def test_truncated_private_key_is_masked_to_its_end() -> None:
    text = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq9\nAbCdEf0123==\n"
    assert "MIIE" not in redact(text) and redact(text).startswith("[REDACTED:private-key]")


def test_many_secrets_in_one_log_and_idempotence() -> None:
    log = "\n".join([f"using {OPENAI_PROJECT}", f"token={GITHUB_PAT}", JWT, PRIVATE_KEY,
                     "Authorization: Bearer abc123def456ghi789jkl012mno345", "password: hunter2"])
    once = redact(log)
    for secret in (OPENAI_PROJECT, GITHUB_PAT, JWT, "b3BlbnNzaC1rZXkt", "abc123def456", "hunter2"):
        assert secret not in once
    assert redact(once) == once


@pytest.mark.parametrize("text", [
    "[REDACTED:password]", "password=[REDACTED:password]", "Authorization: Bearer [REDACTED:bearer-token]",
    "postgres://u:[REDACTED:url-password]@h/db", '"token": "[REDACTED:token]"',
])
def test_markers_are_stable(text: str) -> None:
    assert redact(text) == text
