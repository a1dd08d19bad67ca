"""Framing round-trips and the decoder's handling of split, bad and oversized frames."""

from __future__ import annotations

import struct

from hypothesis import given
from hypothesis import strategies as st

from aisession_tui import protocol

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4), max_leaves=20)


@given(st.dictionaries(st.text(max_size=10), json_values, max_size=5),
       st.integers(min_value=1, max_value=64))
def test_any_message_round_trips_in_any_chunking(message, chunk):
    frame = protocol.encode(message) * 2
    decoder = protocol.FrameDecoder()
    out = []
    for start in range(0, len(frame), chunk):
        out.extend(decoder.feed(frame[start:start + chunk]))
    assert out == [message, message]


def test_every_message_shape_round_trips():
    for message in (protocol.request(1, "hello", {"version": protocol.PROTOCOL_VERSION}),
                    protocol.reply(1, {"ok": True}),
                    protocol.error_reply(None, protocol.PARSE_ERROR, "bad"),
                    protocol.notification("screen", {"pane": 1, "rows": {"0": [["x", -1, -1, 0]]}})):
        assert protocol.FrameDecoder().feed(protocol.encode(message)) == [message]


def test_bad_json_and_non_objects_become_errors_and_decoding_continues():
    good = protocol.encode({"a": 1})
    data = struct.pack(">I", 3) + b"{x}" + struct.pack(">I", 2) + b"[]" + good
    out = protocol.FrameDecoder().feed(data)
    assert [getattr(item, "code", None) for item in out] == [
        protocol.PARSE_ERROR, protocol.INVALID_REQUEST, None]
    assert out[2] == {"a": 1}


def test_oversized_frame_is_skipped_without_buffering():
    decoder = protocol.FrameDecoder(max_frame=10)
    out = decoder.feed(struct.pack(">I", 100) + b"x" * 40)
    assert [item.code for item in out] == [protocol.FRAME_TOO_LARGE]
    assert len(decoder._buffer) == 0
    out = decoder.feed(b"y" * 60 + protocol.encode({"b": 2}))
    assert out == [{"b": 2}]


def test_a_long_stdout_is_streamed_in_pieces_and_joined_back():
    stdout = "é" * (protocol.STREAM_PIECE * 2) + "tail"
    result = {"stdout": stdout, "stderr": "", "exit_code": 0, "data": None}
    messages = protocol.reply_frames(7, result)
    assert [m.get("method") for m in messages] == [protocol.REPLY_PART] * 2 + [None]
    frames = b"".join(protocol.encode(message) for message in messages)
    assert all(len(protocol.encode(m)) <= protocol.MAX_FRAME for m in messages)
    parts = protocol.ReplyParts()
    decoded = protocol.FrameDecoder().feed(frames)
    assert [parts.absorb(message) for message in decoded] == [True, True, False]
    assert parts.complete(7, decoded[-1]["result"]) == result
    assert protocol.reply_frames(8, {"stdout": "short"}) == [protocol.reply(8, {"stdout": "short"})]


def test_the_blocking_client_stops_at_a_connection_error_and_skips_notifications():
    import socket

    from aisession_tui.cli.client import Client, ClientError

    ours, theirs = socket.socketpair()
    try:
        theirs.sendall(protocol.encode(protocol.notification("session", {"x": 1}))
                       + protocol.encode(protocol.reply(1, {"ok": True})))
        client = Client(ours)
        assert client.request("ping") == {"ok": True}  # the notification was skipped
        theirs.sendall(protocol.encode(protocol.error_reply(None, protocol.INVALID_REQUEST,
                                                            "too many connections")))
        try:
            client.request("ping")
        except ClientError as exc:
            assert str(exc) == "too many connections"
        else:
            raise AssertionError("no error")
    finally:
        ours.close()
        theirs.close()
