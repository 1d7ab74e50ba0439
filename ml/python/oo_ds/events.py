"""Decodes raw stream messages (CloudEvents in binary mode, protobuf payloads) with the classes
protoc generated from proto/ (ml/python/oo, see tools/generate_proto.sh).

A message comes as NATS headers plus payload bytes, e.g. from `npm run stream -- tail … --raw`
(the `headers` and base64 `raw` of each line) or from any NATS client of your own.
"""

from __future__ import annotations

import base64
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from google.protobuf import json_format
from google.protobuf.message import DecodeError, Message

# The generated packages (`oo.signals.v1`, …) sit beside oo_ds; importing oo_ds makes them importable.
_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

PROTOBUF_CONTENT_TYPE = "application/protobuf"


class EventDecodeError(ValueError):
    """The message is not a CloudEvent of ours, or its payload is not the type it names."""


@dataclass(frozen=True)
class DecodedEvent:
    id: str
    type: str
    source: str
    subject: str
    time: str | None
    message: Message

    def to_dict(self) -> dict[str, Any]:
        """The payload as canonical protobuf JSON (what `stream tail` prints as `data`)."""
        return json_format.MessageToDict(self.message)


def _message_classes() -> dict[str, type]:
    classes: dict[str, type] = {}
    # The generated folders have no __init__.py (namespace packages), which pkgutil does not walk.
    for path in sorted((_ROOT / "oo").rglob("*_pb2.py")):
        module = importlib.import_module(".".join(path.relative_to(_ROOT).with_suffix("").parts))
        for name, descriptor in module.DESCRIPTOR.message_types_by_name.items():
            classes[descriptor.full_name] = getattr(module, name)
    return classes


MESSAGE_CLASSES: dict[str, type] = _message_classes()


def decode_event(headers: Mapping[str, str], payload: bytes, subject: str = "") -> DecodedEvent:
    """Reads the CloudEvent headers and decodes the payload as the message its `ce-type` names.

    >>> event = decode_event(line["headers"], base64.b64decode(line["raw"]))
    >>> event.message.decision_id
    """
    where = subject or "event"
    if headers.get("ce-specversion") != "1.0" or not headers.get("ce-id") or not headers.get("ce-type"):
        raise EventDecodeError(f"{where}: not a CloudEvent 1.0 (ce-specversion, ce-id, ce-type)")
    content_type = headers.get("ce-datacontenttype")
    if content_type and content_type != PROTOBUF_CONTENT_TYPE:
        raise EventDecodeError(f"{where}: payload is {content_type}, not {PROTOBUF_CONTENT_TYPE}")
    type_name = headers["ce-type"]
    cls = MESSAGE_CLASSES.get(type_name)
    if cls is None:
        raise EventDecodeError(f"{where}: unknown ce-type {type_name} (regenerate with tools/generate_proto.sh?)")
    message = cls()
    try:
        message.ParseFromString(bytes(payload))
    except DecodeError as error:
        raise EventDecodeError(f"{where}: payload is not a {type_name}: {error}") from error
    return DecodedEvent(
        id=headers["ce-id"],
        type=type_name,
        source=headers.get("ce-source", ""),
        subject=headers.get("ce-subject", ""),
        time=headers.get("ce-time"),
        message=message,
    )


def decode_tail_line(line: Mapping[str, Any]) -> DecodedEvent:
    """Decodes one `npm run stream -- tail|replay --raw` line (its `headers` and base64 `raw`)."""
    if "raw" not in line or "headers" not in line:
        raise EventDecodeError("the line has no raw payload: run tail or replay with --raw")
    return decode_event(line["headers"], base64.b64decode(line["raw"]), line.get("subject", ""))
