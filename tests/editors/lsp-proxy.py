#!/usr/bin/env python3
"""A logging proxy between an editor and a language server, for the editor tests.

    lsp-proxy.py --log FILE [--dump DIR] -- SERVER [ARGS...]

The editor starts this as its language server command. It starts SERVER, forwards every
frame both ways unchanged (byte for byte, whole frames, in the order they came) and
appends each frame to FILE as one line: a monotonic timestamp in seconds, the direction
(`->` editor to server, `<-` server to editor) and the body as it was sent.

With --dump DIR, it also shows what the server holds: when the file DIR/request appears,
it removes it and, for every document the editor has open, sends the server an
`apigw-lsp/documentText` request of its own (string ids, which the editor never uses)
after the frames already forwarded. The answers are not forwarded to the editor; each is
written to DIR/<file name> (the server's text, as UTF-8) and DIR/<file name>.version
(`<server's version> <highest version the editor sent>`), and DIR/done is written when
all have come. The server's stderr is the proxy's (the editor logs it as usual).
"""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse


def read_frames(stream):
    """Yields (raw frame bytes, parsed body or None) from a binary stream."""
    buf = b""
    while True:
        end = buf.find(b"\r\n\r\n")
        while end < 0:
            chunk = stream.read1(65536)
            if not chunk:
                return
            buf += chunk
            end = buf.find(b"\r\n\r\n")
        length = None
        for line in buf[:end].split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        if length is None:
            raise ValueError("frame without Content-Length: %r" % buf[:end])
        total = end + 4 + length
        while len(buf) < total:
            chunk = stream.read1(65536)
            if not chunk:
                return
            buf += chunk
        raw, buf = buf[:total], buf[total:]
        body = raw[end + 4:]
        try:
            message = json.loads(body)
        except ValueError:
            message = None
        yield raw, message


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Proxy:
    def __init__(self, log_path, dump_dir, server):
        self.log = open(log_path, "ab", buffering=0)
        self.log_lock = threading.Lock()
        self.dump_dir = dump_dir
        self.child = subprocess.Popen(server, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.to_server = threading.Lock()
        self.to_editor = threading.Lock()
        self.start = time.monotonic()
        # uri -> highest didChange version the editor sent (didOpen's to begin with).
        self.open_docs = {}
        self.docs_lock = threading.Lock()
        # id of an injected request -> (uri, the editor's version then).
        self.injected = {}
        self.next_id = 1

    def record(self, direction, raw):
        body = raw[raw.find(b"\r\n\r\n") + 4:]
        line = b"%.6f %s %s\n" % (time.monotonic() - self.start, direction, body)
        with self.log_lock:
            self.log.write(line)

    def send_server(self, raw):
        with self.to_server:
            self.child.stdin.write(raw)
            self.child.stdin.flush()

    def send_editor(self, raw):
        with self.to_editor:
            sys.stdout.buffer.write(raw)
            sys.stdout.buffer.flush()

    def note(self, message):
        """Keeps track of the open documents and the editor's versions."""
        method = message.get("method") if isinstance(message, dict) else None
        params = message.get("params") or {} if isinstance(message, dict) else {}
        doc = params.get("textDocument") or {} if isinstance(params, dict) else {}
        with self.docs_lock:
            if method == "textDocument/didOpen":
                self.open_docs[doc.get("uri")] = doc.get("version")
            elif method == "textDocument/didChange" and doc.get("uri") in self.open_docs:
                version = doc.get("version")
                known = self.open_docs[doc.get("uri")]
                if known is None or (version is not None and version > known):
                    self.open_docs[doc.get("uri")] = version
            elif method == "textDocument/didClose":
                self.open_docs.pop(doc.get("uri"), None)

    def editor_to_server(self):
        try:
            for raw, message in read_frames(sys.stdin.buffer):
                self.record(b"->", raw)
                if message is not None:
                    self.note(message)
                self.send_server(raw)
        finally:
            try:
                self.child.stdin.close()
            except OSError:
                pass

    def server_to_editor(self):
        for raw, message in read_frames(self.child.stdout):
            self.record(b"<-", raw)
            key = message.get("id") if isinstance(message, dict) else None
            if isinstance(key, str) and key in self.injected:
                self.answered(key, message)
                continue
            self.send_editor(raw)

    def inject(self):
        with self.docs_lock:
            docs = dict(self.open_docs)
        if not docs:
            self.write("done", b"no open documents\n")
            return
        for uri in docs:
            key = "apigw-lsp-proxy-%d" % self.next_id
            self.next_id += 1
            self.injected[key] = (uri, docs[uri])
            raw = frame({"jsonrpc": "2.0", "id": key, "method": "apigw-lsp/documentText",
                         "params": {"textDocument": {"uri": uri}}})
            self.record(b"=>", raw)
            self.send_server(raw)

    def answered(self, key, message):
        uri, client_version = self.injected.pop(key)
        name = os.path.basename(urllib.parse.unquote(urllib.parse.urlparse(uri).path))
        result = message.get("result")
        if isinstance(result, dict):
            self.write(name, result.get("text", "").encode())
            self.write(name + ".version", b"%s %s\n" % (
                str(result.get("version")).encode(), str(client_version).encode()))
        else:
            self.write(name + ".version", b"error %s\n" % json.dumps(message).encode())
        if not self.injected:
            self.write("done", b"")

    def write(self, name, data):
        path = os.path.join(self.dump_dir, name)
        with open(path + ".tmp", "wb") as f:
            f.write(data)
        os.replace(path + ".tmp", path)

    def watch_requests(self):
        request = os.path.join(self.dump_dir, "request")
        while self.child.poll() is None:
            if os.path.exists(request):
                os.remove(request)
                self.inject()
            time.sleep(0.05)

    def run(self):
        threading.Thread(target=self.editor_to_server, daemon=True).start()
        if self.dump_dir:
            os.makedirs(self.dump_dir, exist_ok=True)
            threading.Thread(target=self.watch_requests, daemon=True).start()
        self.server_to_editor()
        return self.child.wait()


def main(argv):
    log, dump = None, None
    i = 0
    while i < len(argv) and argv[i] != "--":
        if argv[i] == "--log" and i + 1 < len(argv):
            log, i = argv[i + 1], i + 2
        elif argv[i] == "--dump" and i + 1 < len(argv):
            dump, i = argv[i + 1], i + 2
        else:
            break
    if log is None or i >= len(argv) or argv[i] != "--" or i + 1 >= len(argv):
        sys.stderr.write(__doc__)
        return 2
    return Proxy(log, dump, argv[i + 1:]).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
