"""Drives a farm through the generated client: submit a batch with a webhook, poll it, list its
jobs, download results.jsonl and an image, and verify the batch.completed webhook's Standard
Webhooks signature with the tenant's secret. Exit status 0 when everything holds."""
import base64
import hashlib
import hmac
import http.server
import json
import os
import sys
import threading
import time
import urllib.request

import cascade_farm_client as farm
from cascade_farm_client.models import BatchRequest, JobRequest

received = []


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        received.append((dict(self.headers), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def verify(secret, headers, body):
    key = base64.b64decode(secret[len("whsec_"):])
    signed = (headers["webhook-id"] + "." + headers["webhook-timestamp"] + ".").encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(s, expected) for s in headers["webhook-signature"].split(" "))


def check(cond, what):
    if not cond:
        print("FAILED:", what)
        sys.exit(1)


def main():
    server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    hook = "http://127.0.0.1:%d/hook" % server.server_port

    config = farm.Configuration(host=os.environ["FARM_URL"], access_token=os.environ["FARM_KEY"])
    api = farm.DefaultApi(farm.ApiClient(config))

    request = BatchRequest(
        jobs=[JobRequest(prompt="python %d" % i) for i in range(3)],
        labels={"client": "python"},
        webhook_url=hook,
        priority="high",
    )
    accepted = api.submit_batch(request)
    batch = accepted.id
    check(accepted.job_count == 3, "3 jobs accepted")

    deadline = time.time() + 120
    while True:
        b = api.get_batch(batch)
        if b.done:
            break
        check(time.time() < deadline, "batch done within 120 s")
        time.sleep(0.2)
    check(b.counts.get("succeeded") == 3, "3 succeeded: %s" % b.counts)

    page = api.list_jobs(batch=batch, label=["client:python"])
    check(len(page.jobs) == 3, "listed 3 jobs")
    check(all(j.params.priority == "high" for j in page.jobs), "priority high")

    raw = api.batch_results_jsonl_without_preload_content(batch)
    lines = [json.loads(l) for l in raw.data.decode().splitlines() if l]
    check(len(lines) == 3, "3 result lines")
    check(all(l["status"] == "succeeded" and "seed" in l["params"] for l in lines), "lines")
    with urllib.request.urlopen(lines[0]["images"][0]["url"]) as r:
        png = r.read()
    check(png[:8] == b"\x89PNG\r\n\x1a\n", "a PNG downloaded")

    secret = api.get_webhook_secret().secret
    deadline = time.time() + 60
    while not any(json.loads(b)["type"] == "batch.completed" for _, b in received):
        check(time.time() < deadline, "batch.completed within 60 s")
        time.sleep(0.1)
    for headers, body in received:
        lower = {k.lower(): v for k, v in headers.items()}
        check(verify(secret, lower, body), "signature of %s" % lower.get("webhook-id"))
    done = [json.loads(b) for _, b in received if json.loads(b)["type"] == "batch.completed"][0]
    check(done["data"]["counts"]["succeeded"] == 3, "batch.completed counts")
    print("python client: OK (%d webhook(s) verified)" % len(received))


main()
