"""A real PostgreSQL streaming replica: the court month page is served from it.

Starts a primary and a replica cluster of its own (initdb, pg_basebackup -R, pg_ctl) in a
temporary directory on free local ports, then runs tests/replica_probe.py in a process of its
own with the primary and replica URLs, as a deployment would set them. While the replica's
replay is paused, a department added on the primary does not show on the page (it was read
from the replica); once replay resumes, it does.

PostgreSQL refuses to run as root: as root the clusters run as the `postgres` user (runuser).
Skipped, with the reason, when the server binaries or that user are missing. It runs once, in
the PostgreSQL leg of `make test` (or with MINGJING_REPLICA_TEST=1).
"""

import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

PG_BIN = Path(os.environ.get("MINGJING_PG_BIN", "/usr/lib/postgresql/15/bin"))
ROOT = Path(__file__).resolve().parent.parent


def _skip_reason() -> str | None:
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if not on_postgres and os.environ.get("MINGJING_REPLICA_TEST") != "1":
        return "runs once, in the PostgreSQL leg (or with MINGJING_REPLICA_TEST=1)"
    missing = [n for n in ("initdb", "pg_ctl", "pg_basebackup") if not (PG_BIN / n).exists()]
    if missing:
        return f"PostgreSQL server binaries missing in {PG_BIN}: {', '.join(missing)}"
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            return "running as root without runuser: PostgreSQL refuses to run as root"
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run the clusters"
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Clusters:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.primary_port, self.replica_port = _free_port(), _free_port()

    def run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def start(self, name: str, port: int) -> None:
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.tmp}"
            " -c fsync=off -c wal_level=replica -c max_wal_senders=4"
        )
        data = str(self.tmp / name)
        self.run(str(PG_BIN / "pg_ctl"), "-D", data, "-o", options, "-l", f"{data}.log", "-w",
                 "start")  # fmt: skip

    def stop(self, name: str) -> None:
        if (self.tmp / name / "postmaster.pid").exists():
            self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.tmp / name), "-m", "immediate", "stop")

    def url(self, port: int) -> str:
        return f"postgresql://postgres@127.0.0.1:{port}/mingjing"


@pytest.fixture
def clusters():
    tmp = Path(tempfile.mkdtemp(prefix="mingjing-replica-"))
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    made = Clusters(tmp)
    try:
        made.run(str(PG_BIN / "initdb"), "-D", str(tmp / "primary"), "-U", "postgres",
                 "--auth=trust", "--no-locale", "-E", "UTF8")  # fmt: skip
        made.start("primary", made.primary_port)
        made.run(str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(made.primary_port),
                 "-U", "postgres", "-D", str(tmp / "replica"), "-R", "-X", "stream")  # fmt: skip
        made.start("replica", made.replica_port)
        import psycopg

        primary = made.url(made.primary_port).rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(primary, autocommit=True) as connection:
            connection.execute("CREATE DATABASE mingjing")
        yield made
    finally:
        made.stop("replica")
        made.stop("primary")
        shutil.rmtree(tmp, ignore_errors=True)


def test_the_court_month_page_is_read_from_the_streaming_replica(clusters, tmp_path):
    key = tmp_path / "master.key"
    key.write_text("ab" * 32 + "\n")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mingjing.settings",
        "MINGJING_DEBUG": "1",
        "MINGJING_SECRET_KEY": "replica-test-only-secret-key-0123456789-0123456789",
        "MINGJING_MASTER_KEY_FILE": str(key),
        "MINGJING_DATA_DIR": str(tmp_path),
        "MINGJING_ALLOWED_HOSTS": "testserver",
        "MINGJING_DATABASE_URL": clusters.url(clusters.primary_port),
        "MINGJING_REPLICA_DATABASE_URL": clusters.url(clusters.replica_port),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    env.pop("MINGJING_SECRET_KEY_FILE", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "replica_probe.py")],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    before, paused, resumed = seen["before"], seen["paused"], seen["resumed"]
    assert before["status"] == 200 and before["civil"] and before["replica_queries"] > 0
    # Written on the primary, not yet replayed: the page, read from the replica, lacks it.
    assert seen["paused_primary_has_it"]
    assert paused["status"] == 200 and paused["civil"] and not paused["new"]
    assert resumed["status"] == 200 and resumed["new"]
