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
