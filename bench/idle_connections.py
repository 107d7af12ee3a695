#!/usr/bin/env python3
"""What idle clients cost `normbook serve` (Linux): opens N connections that each send half a
request and stall, then reads the server's threads and resident memory from
/proc/PID/status: before, with the connections open, and WAIT seconds later. Also says
whether a normal request was answered while they were open, and how many of the stalled
connections the server had closed by the end.
Usage: idle_connections.py NORMBOOK_BIN SITE_DIR [N] [WAIT]"""
import socket, subprocess, sys, time, urllib.request


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port


def status(pid):
    fields = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status"))
    return f"threads {int(fields['Threads']):5d}, RSS {int(fields['VmRSS'].split()[0]) / 1024:6.1f} MB"


def answered(base):
    try:
        with urllib.request.urlopen(base + "/index.html", timeout=10) as r:
            return r.status == 200
    except Exception:
        return False


def closed_by_server(conn):
    conn.setblocking(False)
    try:
        return conn.recv(1) == b""
    except BlockingIOError:
        return False
    except ConnectionError:
        return True


def main():
    binary, site = sys.argv[1:3]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    wait = float(sys.argv[4]) if len(sys.argv) > 4 else 10
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--quiet", "--port", str(port)], cwd=site)
    base = f"http://127.0.0.1:{port}"
    conns = []
    try:
        for _ in range(600):
            if answered(base):
                break
            time.sleep(0.05)
        time.sleep(1)
        print(f"before:                      {status(server.pid)}")
        for _ in range(n):
            c = socket.create_connection(("127.0.0.1", port), timeout=10)
            c.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\n")
            conns.append(c)
        time.sleep(1)
        print(f"{n} stalled clients:        {status(server.pid)}; a request answered: {answered(base)}")
        time.sleep(wait)
        closed = sum(closed_by_server(c) for c in conns)
        print(f"{wait:.0f} s later:                 {status(server.pid)}; closed by the server: {closed} of {n}")
    finally:
        for c in conns:
            c.close()
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
