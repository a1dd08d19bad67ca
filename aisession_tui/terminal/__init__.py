"""Terminal emulation: the VT emulator behind a small interface, scrollback, key encoding.

Headless; imported by the server (emulator) and by clients (key encoding, styles).
"""
