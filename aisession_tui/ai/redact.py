"""Secret redaction: mask credentials in text before it enters a context or the store.

:func:`redact` replaces each secret with ``[REDACTED:<kind>]`` (``openai-key``,
``anthropic-key``, ``github-token``, ``slack-token``, ``slack-webhook``,
``aws-access-key-id``, ``aws-secret-key``, ``bearer-token``, ``basic-auth``, ``jwt``,
``private-key``, ``url-password``, ``password``, ``token``, ``secret``, ``api-key``, ...).
In ``key=value`` / ``key: value`` assignments and headers only the value is masked.

Invariants:

* idempotent: ``redact(redact(t)) == redact(t)`` (a marker never matches a pattern);
* ordinary text is left alone: git SHAs, UUIDs, base64 blobs, code such as
  ``password = getpass()`` or ``def login(token: str)``, and prompts like ``Password:`` with
  no value are not secrets. Token-shaped matches must also look random (letters and digits
  mixed), so kebab-case words like ``sk-learn-style-identifiers`` survive;
* fast: each family runs one ``sub`` pass, skipped unless a cheap substring test says the
  family can occur; a pattern is compiled once, when first needed (:class:`_Pattern`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

MARKER_PREFIX = "[REDACTED:"


class _Pattern:
    """A regular expression compiled on its first use. Every pass is gated by a substring
    test, so most texts need few patterns or none: compiling all of them at import was
    ~3 ms of CPU, spent by a cold server's first new-session (its pane row is redacted on
    the store's writer thread, which holds the interpreter meanwhile)."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:  # two threads may both compile it: the same pattern either way
            compiled = self._compiled = re.compile(self._source, self._flags)
        return compiled

    def sub(self, replace: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self._get().sub(replace, text)

    def match(self, text: str) -> re.Match[str] | None:
        return self._get().match(text)


def _marker(kind: str) -> str:
    return f"{MARKER_PREFIX}{kind}]"


def _looks_random(token: str) -> bool:
    """Machine-made: has a digit and a letter (keys do; words and kebab-case names do not)."""
    return any(c.isdigit() for c in token) and any(c.isalpha() for c in token)


# --- whole-token families: (name, precheck substrings, pattern, kind, needs randomness)
_PRIVATE_KEY = _Pattern(
    r"-----BEGIN (?P<label>[A-Z0-9 ]*?)PRIVATE KEY( BLOCK)?-----"
    r"(?:.*?-----END (?P=label)PRIVATE KEY( BLOCK)?-----|[A-Za-z0-9+/=\s:,.-]*)", re.DOTALL)
_TOKEN_FAMILIES: tuple[tuple[tuple[str, ...], _Pattern, str], ...] = (
    (("sk-ant-",), _Pattern(r"sk-ant-[A-Za-z0-9_-]{20,}"), "anthropic-key"),
    (("sk-",), _Pattern(r"sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}"), "openai-key"),
    (("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), _Pattern(r"gh[pousr]_[A-Za-z0-9]{30,}"), "github-token"),
    (("github_pat_",), _Pattern(r"github_pat_[A-Za-z0-9_]{30,}"), "github-token"),
    (("glpat-",), _Pattern(r"glpat-[A-Za-z0-9_-]{20,}"), "gitlab-token"),
    (("xox",), _Pattern(r"xox[abposr]-[A-Za-z0-9-]{10,}"), "slack-token"),
    (("hooks.slack.com",),
     _Pattern(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/-]+"),
     "slack-webhook"),
    (("AKIA", "ASIA"), _Pattern(r"(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])"), "aws-access-key-id"),
    (("AIza",), _Pattern(r"AIza[0-9A-Za-z_-]{35}(?![\w-])"), "google-api-key"),
    (("npm_",), _Pattern(r"npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])"), "npm-token"),
    (("eyJ",), _Pattern(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), "jwt"),
)
# Kinds whose pattern is specific enough to need no "looks random" check.
_SHAPE_IS_ENOUGH = frozenset({"slack-webhook", "aws-access-key-id", "jwt"})

# --- value-only families
_AUTH_HEADER = _Pattern(
    r"(?P<head>authorization\s*:\s*(?P<scheme>bearer|basic|token|bot)\s+)(?P<value>[A-Za-z0-9._~+/=-]+)", re.IGNORECASE)
_BARE_BEARER = _Pattern(r"(?P<head>Bearer\s+)(?P<value>[A-Za-z0-9._~+/=-]{20,})")
_URL_PASSWORD = _Pattern(r"(?P<head>://[^/\s:@]+:)(?P<value>[^/\s@]+)(?=@)")
_SECRET_WORDS = ("password", "passwd", "passphrase", "secret", "token", "api_key", "api-key",
                 "apikey", "access_key", "access-key", "private_key", "credential")
# Starts at the secret word (a first-letter class keeps the scan fast); the rest of the key
# (``DB_`` in ``DB_PASSWORD``) and its opening quote are found by looking back from the match.
_ASSIGNMENT = _Pattern(
    r"(?P<word>[PpSsTtAaCc](?i:assword|asswd|assphrase|ecret|oken|pi[_-]?key|ccess[_-]?key"
    r"|rivate[_-]?key|redentials?))"
    r"(?P<q>[\"']?)(?P<sep>[ \t]*(?:=>|=(?!=)|:(?![=:]))[ \t]*)"
    r"(?P<vq>[\"']?)(?P<value>[^\s\"',;&=][^\s\"',;&]*(?:&(?![\w.-]+=)[^\s\"',;&]*)*)(?P=vq)")
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_KEY_LEADS = frozenset(" \t\r\n({[,;&?'\"")
_CODE_WORDS = frozenset({
    "str", "int", "bytes", "bool", "float", "none", "null", "nil", "true", "false", "any",
    "optional", "string", "number", "boolean", "undefined", "object", "secretstr", "dict", "list",
    "self", "required", "prompt", "env", "input", "password", "token", "secret",
    "redacted", "masked", "hidden", "yes", "no", "on", "off",
})
_CODE_CHARS = frozenset("()[]{}$<>*%@`\\")
_IDENTIFIER = _Pattern(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _starts_cleanly(match: re.Match[str], extra: str = "_-") -> bool:
    """The match does not begin in the middle of a longer word."""
    start = match.start()
    if start == 0:
        return True
    before = match.string[start - 1]
    return not (before.isalnum() or before in extra)


def _assignment_kind(word: str, key: str) -> str:
    word, key = word.lower(), key.lower()
    if "aws" in key and "secret" in key:
        return "aws-secret-key"
    if word.startswith(("password", "passwd", "passphrase")):
        return "password"
    if word.startswith("token"):
        return "token"
    if word.startswith(("api", "access")):
        return "api-key"
    if word.startswith("private"):
        return "private-key"
    if word.startswith("credential"):
        return "credential"
    return "secret"


def _is_code_value(value: str, quoted: bool, sep: str, lead: str) -> bool:
    """The "value" is a program's expression or a placeholder, not a literal secret."""
    if value.startswith(MARKER_PREFIX) or any(c in _CODE_CHARS for c in value):
        return True
    if value.lower().strip(".:") in _CODE_WORDS or set(value) <= set("*x.X-_#"):
        return True
    if quoted or not _IDENTIFIER.match(value):
        return False  # a quoted literal is data, whatever surrounds it
    if "." in value:
        return True  # attribute access: self.token, args.password, os.environ
    if lead in "(,":
        return True  # keyword argument passing a variable: f(token=tok)
    if sep.strip() == "=" and sep.startswith(" ") and not any(c.isdigit() for c in value):
        return True  # `password = getpass` style assignment from a name
    # a type annotation such as `token: Token`
    return sep.strip() == ":" and value[0].isupper() and value.isalpha()


def _redact_assignment(match: re.Match[str]) -> str:
    text, key_start = match.string, match.start()
    while key_start > 0 and text[key_start - 1] in _KEY_CHARS:
        key_start -= 1
    lead_at = key_start - 1
    if match["q"]:
        if lead_at < 0 or text[lead_at] != match["q"]:
            return match.group(0)
        lead_at -= 1
    lead = text[lead_at] if lead_at >= 0 else "\n"
    while lead in " \t" and lead_at > 0 and text[lead_at - 1] in " \t(,":
        lead_at -= 1
        lead = text[lead_at]
    if lead not in _KEY_LEADS or _is_code_value(match["value"], bool(match["vq"]), match["sep"], lead):
        return match.group(0)
    kind = _assignment_kind(match["word"], text[key_start:match.end("word")])
    return match.group(0)[:match.start("vq") - match.start()] + f"{match['vq']}{_marker(kind)}{match['vq']}"


def _token_replacer(kind: str) -> Callable[[re.Match[str]], str]:
    boundary = "" if kind == "aws-access-key-id" else "_-"

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if not _starts_cleanly(match, boundary):
            return token
        if kind in _SHAPE_IS_ENOUGH or _looks_random(token):
            return _marker(kind)
        return token
    return replace


_TOKEN_REPLACERS = tuple((needles, pattern, _token_replacer(kind))
                         for needles, pattern, kind in _TOKEN_FAMILIES)


def _value_replacer(kind_for: Callable[[re.Match[str]], str | None]) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        kind = kind_for(match)
        if kind is None or match["value"].startswith(MARKER_PREFIX):
            return match.group(0)
        return f"{match['head']}{_marker(kind)}"
    return replace


_replace_auth = _value_replacer(
    lambda m: "basic-auth" if m["scheme"].lower() == "basic" else "bearer-token")
_replace_bare_bearer = _value_replacer(
    lambda m: "bearer-token" if _starts_cleanly(m) and _looks_random(m["value"]) else None)
_replace_url_password = _value_replacer(lambda m: "url-password")


def redact(text: str) -> str:
    """``text`` with every recognised secret replaced by ``[REDACTED:<kind>]``."""
    if not text:
        return text
    if "PRIVATE KEY" in text:
        text = _PRIVATE_KEY.sub(_marker("private-key"), text)
    for needles, pattern, replace in _TOKEN_REPLACERS:
        if any(needle in text for needle in needles):
            text = pattern.sub(replace, text)
    lowered = text.lower()
    if "authorization" in lowered:
        text = _AUTH_HEADER.sub(_replace_auth, text)
    if "bearer" in lowered:
        text = _BARE_BEARER.sub(_replace_bare_bearer, text)
    if "://" in text and "@" in text:
        text = _URL_PASSWORD.sub(_replace_url_password, text)
    if any(word in lowered for word in _SECRET_WORDS):
        text = _ASSIGNMENT.sub(_redact_assignment, text)
    return text


def redact_value(value: Any) -> Any:
    """JSON-like ``value`` with :func:`redact` applied to every string in it, keys included.

    Returns ``value`` itself when nothing changed, so a payload without secrets is not copied.
    """
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        items = [redact_value(item) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, dict):
        pairs = [(redact_value(key), redact_value(item)) for key, item in value.items()]
        unchanged = all(key is old_key and item is old_item for (key, item), (old_key, old_item)
                        in zip(pairs, value.items(), strict=True))
        return value if unchanged else dict(pairs)
    return value
