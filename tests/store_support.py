"""What the store, web and browser tests share: a record ingested once from the project's examples, a real
PostgreSQL server, and a running `coopwatch serve`. Each is built once per test session (memoised here, so
several test modules importing the fixtures still share one copy)."""
from __future__ import annotations

import atexit
import functools
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
# an article whose text is markup: pages must show it as text, never run it
XSS_ARTICLE = """Rosatom and CNNC sign <script>alert("owned")</script> hydrogen deal

 date 2024-05-06

Rosatom and the China National Nuclear Corporation signed an agreement on hydrogen production in Beijing on Monday, \
<b>the companies said</b> <script>document.title="owned"</script>.
"""
WORK = Path(tempfile.mkdtemp(prefix="coopwatch-store-tests-"))
atexit.register(shutil.rmtree, WORK, ignore_errors=True)


def coopwatch(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "coopwatch.cli", *args], capture_output=True, text=True,
                            cwd=ROOT, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"coopwatch {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


@functools.cache
def articles_dir() -> Path:
    folder = WORK / "articles"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("*.md", "*.json"))
    (folder / "zz_markup.txt").write_text(XSS_ARTICLE, encoding="utf-8")
    return folder


@functools.cache
def sqlite_db() -> str:
    """The examples (and the markup article) ingested into SQLite by the real `coopwatch ingest`."""
    path = WORK / "examples.db"
    coopwatch("ingest", str(articles_dir()), "--db", str(path), "--quiet")
    return str(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: `make test` installs Debian's postgresql package "
                           "(scripts/system-packages.txt); run scripts/setup-system.sh")
    return Path(found[-1]).parent


@functools.cache
def postgres_url() -> str:
    """A throwaway PostgreSQL cluster in a temp folder on a free localhost port; stopped at exit."""
    bin_dir = _postgres_bin()
    data = WORK / "pg"
    data.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        user = pwd.getpwnam("postgres")
        os.chown(WORK, user.pw_uid, user.pw_gid)
        os.chmod(WORK, 0o755)
        os.chown(data, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    run = functools.partial(subprocess.run, capture_output=True, text=True, timeout=120)
    done = run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--no-sync"])
    if done.returncode:
        raise RuntimeError(f"initdb failed: {done.stderr}")
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    done = run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(data / "log"), "-w",
                "start"])
    if done.returncode:
        log = (data / "log").read_text() if (data / "log").exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {done.stderr}\n{log}")
    atexit.register(subprocess.run, [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                    capture_output=True)
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


@functools.cache
def postgres_db() -> str:
    url = postgres_url()
    coopwatch("ingest", str(articles_dir()), "--db", url, "--quiet")
    return url


@functools.cache
def server() -> str:
    """`coopwatch serve` over the SQLite record, on a free port; its base URL."""
    port = free_port()
    log = open(WORK / "serve.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "coopwatch.cli", "serve", "--db", sqlite_db(), "--port",
                                str(port)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    atexit.register(process.terminate)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"coopwatch serve exited: {(WORK / 'serve.log').read_text()}")
        try:
            urllib.request.urlopen(base + "/api/stats", timeout=2)
            return base
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("coopwatch serve did not answer within 30 s")
