"""The command line: global flags, the command registry's parser, one request, exit code.

Headless and quick to start: it imports the protocol and the command specs, never Textual,
pyte or tiktoken.
"""
