"""Persistence: one SQLite database (WAL) under ``AI_SESSION_HOME`` with zstd blobs."""
