#!/usr/bin/env python3
"""Interoperability check with a client that shares no code with leadstream: kafka-python
(pure Python, no librdkafka).

With a leadstream engine already consuming EVENTS_TOPIC on BROKERS, this produces N events with
kafka-python (keyed by lead), then consumes DECISIONS_TOPIC with kafka-python until every event
id has a decision (or the timeout passes). Exits 0 when all are decided, 1 otherwise.

    pip install kafka-python
    python3 scripts/kafka_python_interop.py --brokers 127.0.0.1:19092 \
        --events-topic T --decisions-topic D [--count 200] [--timeout 90]
"""
import argparse
import json
import sys
import time
import uuid

from kafka import KafkaConsumer, KafkaProducer


def events(count, run):
    """A small valid stream: lead_created then alternating emails, opens and replies."""
    kinds = ["email_sent", "email_opened", "email_replied", "web_visit"]
    base = 1_790_000_000_000
    for i in range(count):
        lead = f"py-{run}-{i % 20}"
        kind = "lead_created" if i < 20 else kinds[i % len(kinds)]
        ev = {
            "event_id": f"py-{run}-{i}",
            "tenant_id": "interop",
            "lead_id": lead,
            "ts": base + i * 60_000,
            "type": kind,
            "schema_version": 1,
        }
        if kind == "email_sent":
            ev.update(variant="professional", text="New listings near you this week.")
        elif kind == "email_replied":
            ev["text"] = "Thanks, can we see the house on Saturday?"
        elif kind == "web_visit":
            ev.update(page="/listing/1", dwell_s=42.0)
        yield lead, ev


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--brokers", required=True)
    ap.add_argument("--events-topic", required=True)
    ap.add_argument("--decisions-topic", required=True)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=90.0)
    args = ap.parse_args()
    run = uuid.uuid4().hex[:8]

    # Subscribe first (from the end) so no decision of this run is missed.
    consumer = KafkaConsumer(
        args.decisions_topic,
        bootstrap_servers=args.brokers,
        group_id=f"interop-{run}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        fetch_max_wait_ms=10,
        consumer_timeout_ms=500,
    )
    producer = KafkaProducer(bootstrap_servers=args.brokers, acks="all")
    wanted = set()
    for lead, ev in events(args.count, run):
        producer.send(args.events_topic, key=f"interop/{lead}".encode(), value=json.dumps(ev).encode())
        wanted.add(ev["event_id"])
    producer.flush()
    print(f"kafka-python produced {len(wanted)} events to {args.events_topic}")

    seen = {}
    deadline = time.time() + args.timeout
    while time.time() < deadline and not wanted <= seen.keys():
        for msg in consumer:
            try:
                decision = json.loads(msg.value)
            except ValueError:
                print(f"undecodable decision: {msg.value[:80]!r}", file=sys.stderr)
                return 1
            eid = decision.get("event_id")
            if eid in wanted:
                seen[eid] = seen.get(eid, 0) + 1
            if wanted <= seen.keys():
                break
    missing = wanted - seen.keys()
    dups = sum(n - 1 for n in seen.values())
    print(f"kafka-python consumed decisions for {len(seen)}/{len(wanted)} events, duplicates {dups}")
    if missing:
        print(f"missing decisions, e.g. {sorted(missing)[:5]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
