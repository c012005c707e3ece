"""The current platform's reference: HoneyHive's Python SDK `honeyhive` 1.7.0 (PyPI), making the
calls that overlap ours, against the local server. Its client sends every write with the
ingestion key (falling back to the API key) to the reference's routes, as ours does with a typed
key and `serverUrl`. Reads the scenario (JSON) on stdin; prints the ids it got, as JSON.
"""
import json
import sys
import warnings

from honeyhive import HoneyHive
from honeyhive.models import PostEventBatchRequest, PostEventRequest, UpdateEventRequest

warnings.simplefilter("ignore")
s = json.load(sys.stdin)
client = HoneyHive(api_key=s["apiKey"], ingestion_api_key=s["ingestionApiKey"], server_url=s["serverUrl"])

session = client.sessions.start({"session": s["session"]})
event = client.events.create(PostEventRequest(event=s["event"]))
client.events.update(UpdateEventRequest(**s["update"]))
batch = client.events.create_batch(PostEventBatchRequest(**s["batch"]))
print(json.dumps({"session_id": session.session_id, "event_id": event.event_id, "event_ids": batch.event_ids}))
