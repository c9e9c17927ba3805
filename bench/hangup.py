#!/usr/bin/env python3
"""Clients that hang up mid-answer, under load, against a running `annals serve` (issue 21).

usage: bench/hangup.py HOST:PORT PATH [SECONDS] [THREADS]

Each thread opens a connection, asks for PATH (a large page: the thesis reader), reads a
little of the answer and closes the socket, again and again, as a browser does when the
user navigates away. Every tenth request is read to the end and must be a 200. Prints the
requests made, the complete answers and the failures; exits 1 when the server stopped
answering.
"""
import socket
import sys
import threading
import time

addr, path = sys.argv[1], sys.argv[2]
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 30.0
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 4
host, port = addr.rsplit(":", 1)
port = int(port)
stats = {"requests": 0, "complete": 0, "failures": 0}
lock = threading.Lock()
stop = time.time() + seconds


def one(i):
    s = socket.create_connection((host, port), timeout=10)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n".encode())
    if i % 10 == 0:
        data = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
        s.close()
        return data.startswith(b"HTTP/1.1 200")
    s.recv(1000)
    s.close()
    return None


def worker(k):
    i = k
    while time.time() < stop:
        try:
            r = one(i)
            with lock:
                stats["requests"] += 1
                if r is True:
                    stats["complete"] += 1
                elif r is False:
                    stats["failures"] += 1
        except OSError:
            with lock:
                stats["failures"] += 1
        i += 1


ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
for t in ts:
    t.start()
for t in ts:
    t.join()
try:
    alive = one(0)
except OSError:
    alive = False
print(
    f"{stats['requests']} requests in {seconds:.0f} s on {threads} connections, "
    f"{stats['requests'] - stats['failures']} without error, {stats['complete']} read to the end, "
    f"{stats['failures']} failures; server {'up' if alive else 'DOWN'} afterwards"
)
sys.exit(0 if alive else 1)
