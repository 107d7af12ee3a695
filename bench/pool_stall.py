#!/usr/bin/env python3
"""How long a new connection of `normbook serve` can wait for tiny_http's pool (see
`kick_pool` in src/serve/http.rs). Each round closes half the kept-alive connections (their
pool threads go idle), then opens 12 at once, each making one request, and records each
request's wait; the connections kept poll between rounds, as open tabs do. Prints the
median and the longest wait, and how many waited over a second.
Usage: pool_stall.py NORMBOOK_BIN SITE_DIR [ROUNDS]"""
import socket, subprocess, sys, time, threading

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def request(sock):
    try:
        sock.sendall(b"GET /__normbook/build HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while b"}" not in data:
            chunk = sock.recv(4096)
            if not chunk: return False
            data += chunk
        return True
    except OSError:
        return False

def main():
    binary, site = sys.argv[1:3]; rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--quiet", "--port", str(port)], cwd=site)
    try:
        for _ in range(600):
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=1); request(s); s.close(); break
            except OSError: time.sleep(0.05)
        held, waits = [], []
        def timed(c):
            t = time.monotonic(); request(c); waits.append(time.monotonic() - t)
        for r in range(rounds):
            for c in held[: len(held) // 2]: c.close()
            held = held[len(held) // 2:]
            time.sleep(0.2)
            conns = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(12)]
            threads = [threading.Thread(target=timed, args=(c,)) for c in conns]
            for t in threads: t.start()
            for t in threads: t.join()
            held += conns
            for c in held: request(c)
        waits.sort()
        print(f"{binary}: {len(waits)} requests on new connections: median {waits[len(waits)//2]*1000:.0f} ms, max {waits[-1]*1000:.0f} ms, over 1 s: {sum(w > 1 for w in waits)}")
    finally:
        server.kill()

main()
