#!/usr/bin/env python3
"""Direct Connect, Route 53 Resolver (DNS Firewall included) and Route 53 Profiles answers
shaped like AWS's, for the benchmarks: moto does not emulate them.

Serves tests/fixtures/<service>/<Op>.json for the JSON operation named by X-Amz-Target
(`OvertureService.<Op>`, `Route53Resolver.<Op>`); `<Op>.page-2.json` answers a request whose
body carries the `page-2` token. Anything else gets an AWS-shaped error.

    python3 benches/fixture_server.py PORT
"""

import http.server
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")
PREFIX = {"directconnect": "OvertureService", "route53resolver": "Route53Resolver"}

ANSWERS = {}
for service, prefix in PREFIX.items():
    for name in os.listdir(os.path.join(ROOT, service)):
        with open(os.path.join(ROOT, service, name), "rb") as f:
            body = f.read()
        op, page2 = (name[: -len(".page-2.json")], True) if name.endswith(".page-2.json") else (name[: -len(".json")], False)
        ANSWERS[(f"{prefix}.{op}", page2)] = body


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("content-length", 0))
        request = self.rfile.read(length)
        target = self.headers.get("x-amz-target", "")
        body = ANSWERS.get((target, b"page-2" in request)) or ANSWERS.get((target, False))
        status = 200
        if body is None:
            status = 400
            body = json.dumps({"__type": "UnknownOperationException", "message": f"not in the fixtures: {target}"}).encode()
        self.send_response(status)
        self.send_header("content-type", "application/x-amz-json-1.1")
        self.send_header("x-amzn-requestid", "fixture")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        """Route 53 Profiles (restJson1): tests/fixtures/route53profiles/<Op>.json by path."""
        path = self.path.split("?")[0]
        op = {"/profiles": "ListProfiles", "/profileassociations": "ListProfileAssociations"}.get(path)
        if op is None and path.startswith("/profileresourceassociations/profileid/"):
            op = "ListProfileResourceAssociations"
        status, body = 400, json.dumps({"message": f"not in the fixtures: GET {path}"}).encode()
        if op is not None:
            with open(os.path.join(ROOT, "route53profiles", f"{op}.json"), "rb") as f:
                status, body = 200, f.read()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("x-amzn-requestid", "fixture")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
