#!/usr/bin/env python3
"""The workspace figures over LSP: scanning a folder of templates, memory, typing in a
linked file, and how soon a change to a template reaches the file it includes.

Makes (once) OUT with COUNT templates of gen_check_corpus.py (13 KB each) and PAIRS
folders holding a SAM template that includes an OpenAPI file, marks OUT a repository
root, then per run starts the server on it (rootUri OUT, window.workDoneProgress) and
measures: initialized -> the scan's `$/progress` end; peak RSS after it; typing in an
open included file (didChange then completion, 30 keys); and a rename in the open
template -> the included file's next diagnostics, less the 60 ms debounce.
Standard library only; prints medians of --runs.

    python3 bench/workspace.py --server target/release/apigw-lsp
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import threading
import time
import queue

HERE = pathlib.Path(__file__).resolve().parent
DEBOUNCE_MS = 60

FIXTURES = HERE.parent / "tests" / "fixtures" / "links"
TEMPLATE = ((FIXTURES / "template.yaml").read_text()
            .replace("LOCATION", "api.yaml").replace("ROLE", "Role")
            .replace("ACTION", "sqs:SendMessage"))
# The included file, with an indented blank line to type a parameter into.
API = (FIXTURES / "api.yaml").read_text() + "          \n"


def make(out: pathlib.Path, count: int, pairs: int) -> None:
    stamp = out / ".made"
    want = f"{count} {pairs}"
    if stamp.exists() and stamp.read_text() == want:
        return
    subprocess.run([sys.executable, str(HERE / "gen_check_corpus.py"), "--count", str(count),
                    "--broken-every", "0", "--out", str(out)], check=True, stdout=subprocess.DEVNULL)
    (out / ".git").mkdir(exist_ok=True)
    for i in range(pairs):
        d = out / f"pair{i:03d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / "template.yaml").write_text(TEMPLATE)
        (d / "api.yaml").write_text(API)
    stamp.write_text(want)


class Server:
    def __init__(self, cmd: str):
        self.p = subprocess.Popen([cmd], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
        self.q: queue.Queue = queue.Queue()
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        f = self.p.stdout
        while True:
            headers = {}
            while True:
                line = f.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                k, v = line.decode().split(":", 1)
                headers[k.lower()] = v.strip()
            body = f.read(int(headers["content-length"]))
            self.q.put((time.perf_counter(), json.loads(body)))

    def send(self, msg: dict) -> None:
        data = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.p.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: dict) -> int:
        i = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
        return i

    def wait(self, pred, timeout: float = 60.0):
        end = time.perf_counter() + timeout
        while True:
            left = end - time.perf_counter()
            if left <= 0:
                raise TimeoutError("no matching message")
            t, msg = self.q.get(timeout=left)
            if "id" in msg and "method" in msg:  # a server request: answer it
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            if pred(msg):
                return t, msg

    def rss_mb(self) -> float:
        for line in pathlib.Path(f"/proc/{self.p.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def close(self) -> None:
        i = self.request("shutdown", {})
        self.wait(lambda m: m.get("id") == i)
        self.notify("exit", {})
        self.p.wait(timeout=10)


def run(server: str, root: pathlib.Path) -> dict:
    s = Server(server)
    uri = root.resolve().as_uri()
    i = s.request("initialize", {"processId": os.getpid(), "rootUri": uri,
                                 "capabilities": {"window": {"workDoneProgress": True}}})
    s.wait(lambda m: m.get("id") == i)
    start = time.perf_counter()
    s.notify("initialized", {})
    t_end, end = s.wait(lambda m: m.get("method") == "$/progress"
                        and m["params"]["value"].get("kind") == "end")
    scan_ms = (t_end - start) * 1000
    rss = s.rss_mb()
    d = root / "pair000"
    api_uri, tpl_uri = (d / "api.yaml").resolve().as_uri(), (d / "template.yaml").resolve().as_uri()
    s.notify("textDocument/didOpen", {"textDocument": {"uri": tpl_uri, "languageId": "yaml",
                                                       "version": 1, "text": TEMPLATE}})
    s.notify("textDocument/didOpen", {"textDocument": {"uri": api_uri, "languageId": "yaml",
                                                       "version": 1, "text": API}})
    s.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
           and m["params"]["uri"] == api_uri)
    # Typing a new parameter into the included file's requestParameters.
    line = API.count("\n") - 1
    typing = []
    version = 1
    for n, ch in enumerate("DelaySeconds: '1'"):
        version += 1
        t0 = time.perf_counter()
        s.notify("textDocument/didChange", {"textDocument": {"uri": api_uri, "version": version},
                                            "contentChanges": [{"range": {
                                                "start": {"line": line, "character": 10 + n},
                                                "end": {"line": line, "character": 10 + n}},
                                                "text": ch}]})
        i = s.request("textDocument/completion", {"textDocument": {"uri": api_uri},
                                                  "position": {"line": line, "character": 11 + n}})
        t1, _ = s.wait(lambda m, i=i: m.get("id") == i)
        typing.append((t1 - t0) * 1000)
    time.sleep(0.3)
    while not s.q.empty():
        s.q.get()
    # Renaming the role in the open template: the included file is analysed again.
    role_line = TEMPLATE.splitlines().index("  Role:")
    t0 = time.perf_counter()
    s.notify("textDocument/didChange", {"textDocument": {"uri": tpl_uri, "version": 2},
                                        "contentChanges": [{"range": {
                                            "start": {"line": role_line, "character": 2},
                                            "end": {"line": role_line, "character": 6}},
                                            "text": "Renamed"}]})
    t1, msg = s.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                     and m["params"]["uri"] == api_uri
                     and any(d.get("code") == "unresolved-reference" for d in m["params"]["diagnostics"]))
    linked_ms = (t1 - t0) * 1000 - DEBOUNCE_MS
    s.close()
    typing.sort()
    return {"scan_ms": scan_ms, "rss_mb": rss, "typing_p50": statistics.median(typing),
            "typing_p99": typing[min(len(typing) - 1, int(len(typing) * 0.99))],
            "template_change_to_included_ms": linked_ms,
            "scan_message": end["params"]["value"].get("message")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--pairs", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default="target/bench-data/workspace")
    args = ap.parse_args()
    root = pathlib.Path(args.out)
    make(root, args.count, args.pairs)
    size = sum(f.stat().st_size for f in root.rglob("*") if f.is_file())
    runs = [run(args.server, root) for _ in range(args.runs)]
    print(f"workspace: {args.count} templates + {args.pairs} pairs, {size / 1e6:.1f} MB; "
          f"scan says: {runs[0]['scan_message']}")
    for key in ["scan_ms", "rss_mb", "typing_p50", "typing_p99", "template_change_to_included_ms"]:
        values = [r[key] for r in runs]
        print(f"{key:34} median {statistics.median(values):8.2f}  min {min(values):8.2f}  max {max(values):8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
