"""Runs tests/conformance/scenario.json through the Python reference logger.

Usage: python reference.py SERVER_URL API_KEY  (prints the saved ids as JSON on its last line)
"""
import json
import pathlib
import sys

import honeyhive_logger

server_url, api_key = sys.argv[1], sys.argv[2]
scenario = json.loads((pathlib.Path(__file__).parent / "scenario.json").read_text())
saved = {}
for step in scenario["steps"]:
    args = {k: saved[v[1:]] if isinstance(v, str) and v.startswith("$") else v for k, v in step["args"].items()}
    result = getattr(honeyhive_logger, step["call"])(api_key=api_key, server_url=server_url, verbose=True, **args)
    if "save" in step:
        saved[step["save"]] = result
print(json.dumps(saved))
