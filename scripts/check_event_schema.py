#!/usr/bin/env python3
"""Validates the examples in docs/events.md against schema/events.v1.schema.json (needs `jsonschema`),
and checks that a few invalid events are rejected by the schema as the decoder rejects them."""
import json
import pathlib
import sys

import jsonschema

root = pathlib.Path(__file__).resolve().parent.parent
schema = json.loads((root / "schema/events.v1.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
block = (root / "docs/events.md").read_text().split("```json\n")[1].split("```")[0]
failures = 0
for line in block.strip().splitlines():
    for err in validator.iter_errors(json.loads(line)):
        print(f"example rejected: {line}: {err.message}")
        failures += 1
base = {"event_id": "e", "tenant_id": "t", "lead_id": "l", "ts": 1, "schema_version": 1}
invalid = [
    {**base, "type": "email_opened", "channel": "sms"},
    {**base, "type": "web_visit", "page": "/"},
    {**base, "type": "video_viewed", "watch_pct": 101},
    {**base, "type": "email_opened", "ts": -1},
    {**base, "type": "email_exploded"},
    {k: v for k, v in base.items() if k != "lead_id"} | {"type": "email_opened"},
    {k: v for k, v in base.items() if k != "lead_id"} | {"type": "market_update", "area": "x"},
]
for event in invalid:
    if not list(validator.iter_errors(event)):
        print(f"invalid event accepted: {event}")
        failures += 1
print(f"{'FAILED' if failures else 'ok'}: {failures} problem(s)")
sys.exit(1 if failures else 0)
