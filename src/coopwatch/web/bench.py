"""`coopwatch bench-serve`: `coopwatch serve` started on 127.0.0.1 (a free port), loaded by concurrent
keep-alive clients, requests/s and latency percentiles per path. Bounded: at most `requests` requests and
`seconds` seconds per path. The clients are plain asyncio HTTP/1.1 in one process, so they cost the
machine little next to the server; on a shared machine the load average is part of the figures.
"""
from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _client(port: int, path: str, deadline: float, budget: list[int], latencies: list[float],
                  failures: list[str]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html,application/json\r\n\r\n").encode()
    try:
        while budget[0] > 0 and time.perf_counter() < deadline:
            budget[0] -= 1
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), None)
            if length is None:
                failures.append(f"{path}: no Content-Length")
                return
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                failures.append(f"{path}: HTTP {status}")
    finally:
        writer.close()


async def _load(port: int, path: str, clients: int, requests: int, seconds: float) -> tuple[list[float], float, list[str]]:
    latencies: list[float] = []
    failures: list[str] = []
    budget = [requests]
    started = time.perf_counter()
    await asyncio.gather(*(_client(port, path, started + seconds, budget, latencies, failures)
                           for _ in range(clients)))
    return latencies, time.perf_counter() - started, failures


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def bench_serve(db: str, workers: int = 2, clients: int = 20, requests: int = 3000, seconds: float = 15.0,
                paths: list[str] | None = None, cache: bool = True) -> str:
    if not db.startswith(("postgres", "sqlite")) and not Path(db).exists():
        raise FileNotFoundError(f"no database at {db}; run `coopwatch ingest` first")
    requests, seconds, clients = min(requests, 100_000), min(seconds, 120.0), max(1, min(clients, 200))
    port = _free_port()
    command = [sys.executable, "-m", "coopwatch.cli", "serve", "--db", db, "--host", "127.0.0.1", "--port",
               str(port), "--workers", str(workers)] + (["--no-cache"] if not cache else [])
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the server exited: {server.stderr.read().strip()[-500:]}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not answer within 60 s") from None
                time.sleep(0.2)
        load_before = os.getloadavg()
        lines = [f"coopwatch bench-serve: {db}, {workers} worker(s), cache {'on' if cache else 'off'}, "
                 f"{clients} clients, at most {requests} requests or {seconds:g} s per path, "
                 f"{os.cpu_count()} cores, load average {load_before[0]:.2f} before"]
        lines.append(f"{'path':<28} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  errors")
        for path in paths or ["/", "/api/events"]:
            asyncio.run(_load(port, path, min(clients, 4), 50, 5.0))  # warm-up: imports, caches, connections
            latencies, elapsed, failures = asyncio.run(_load(port, path, clients, requests, seconds))
            if not latencies:
                lines.append(f"{path:<28} no answer: {failures[:1]}")
                continue
            lines.append(f"{path:<28} {len(latencies):>8} {len(latencies) / elapsed:>8.0f} "
                         f"{_percentile(latencies, 0.50) * 1000:>8.1f} {_percentile(latencies, 0.95) * 1000:>8.1f} "
                         f"{_percentile(latencies, 0.99) * 1000:>8.1f}  {len(failures)}"
                         + (f" ({failures[0]})" if failures else ""))
        lines.append(f"load average {os.getloadavg()[0]:.2f} after (1-minute; the machine's other work included)")
        return "\n".join(lines)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
