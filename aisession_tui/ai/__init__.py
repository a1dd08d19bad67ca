"""The AI layer: token counting, per-pane context, output parsers and secret redaction.

Headless: never imports Textual or Rich. Heavy pieces (the tokenizer) load lazily so the
server's PTY read path and the CLI's start-up never pay for them.
"""
