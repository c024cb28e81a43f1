"""A private redis-server for embedded deployments, shared by sohoa processes on one machine.

Every process that needs the queue holds a shared lease (a shared flock). The first one
starts the server; the last one to let go shuts it down, so `make demo` and the tests
leave nothing running. Queued jobs survive the stop in Redis's append-only file.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from config.errors import ConfigurationError, ToolFailed, ToolMissing
from config.toolenv import tool_env

log = logging.getLogger(__name__)

MAX_SOCKET_PATH = 100
"""AF_UNIX paths are limited to 107 bytes; longer data directories put the socket in a
private directory of $XDG_RUNTIME_DIR (else the temporary directory)."""
START_TIMEOUT = 15.0
STOP_TIMEOUT = 15.0


def _socket_path(redis_dir: Path) -> Path:
    """The server's socket: in its own directory, or, when that path is too long for a
    unix socket, in a private directory of this user's runtime directory ($XDG_RUNTIME_DIR,
    else the system's temporary one), checked to be ours alone (`_private_dir`)."""
    candidate = redis_dir / "redis.sock"
    if len(str(candidate)) <= MAX_SOCKET_PATH:
        return candidate
    digest = hashlib.sha256(str(redis_dir).encode()).hexdigest()[:16]
    runtime = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    short = _private_dir(Path(runtime) / f"sohoa-{digest}")
    return short / "redis.sock"


def _private_dir(path: Path) -> Path:
    """`path` as a directory only this user can enter: made 0700 if absent, else refused
    unless it is a real directory (not a symlink), owned by us, with no access for others.
    In a shared /tmp another user could otherwise have made it first, and own the socket
    every job passes through."""
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o700)
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise ConfigurationError(
            f"{path} is not a private directory of this user (a symlink, another owner, or "
            "open to others): the embedded Redis socket will not be put there; remove it, "
            "or set SOHOA_DATA_DIR to a shorter path"
        )
    return path


class EmbeddedRedis:
    """The redis-server under data_dir/redis, held for as long as this object is entered."""

    def __init__(self, data_dir: Path) -> None:
        self.dir = data_dir / "redis"
        self.socket = _socket_path(self.dir)
        self._lease: int | None = None

    @property
    def url(self) -> str:
        """A redis-py URL for the server's unix socket."""
        return f"unix://{self.socket}"

    def __enter__(self) -> str:
        self.acquire()
        return self.url

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def _client(self) -> redis.Redis:
        """A client for probing: it answers at once instead of retrying with backoff."""
        return redis.Redis(
            unix_socket_path=str(self.socket), socket_timeout=5, retry=Retry(NoBackoff(), 0)
        )

    def is_running(self) -> bool:
        """Whether a server answers on the socket."""
        try:
            return bool(self._client().ping())
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            return False

    def acquire(self) -> None:
        """Take a lease, starting the server if none answers."""
        if self._lease is not None:
            return
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        lease = os.open(self.dir / "lease.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(lease, fcntl.LOCK_SH)  # waits while a last user is shutting it down
        self._lease = lease
        try:
            with (self.dir / "start.lock").open("w") as start_lock:
                fcntl.flock(start_lock, fcntl.LOCK_EX)
                if not self.is_running():
                    self._start()
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        """Give the lease back; the last holder stops the server (its AOF keeps the jobs)."""
        if self._lease is None:
            return
        lease, self._lease = self._lease, None
        try:
            fcntl.flock(lease, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lease)  # others still use the server
            return
        try:
            self._stop()
        finally:
            os.close(lease)

    def _pid(self) -> int | None:
        try:
            return int((self.dir / "redis.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    def _config(self) -> Path:
        conf = self.dir / "redis.conf"
        conf.write_text(
            "\n".join(
                [
                    "port 0",
                    f"unixsocket {self.socket}",
                    "unixsocketperm 700",
                    "daemonize yes",
                    f"pidfile {self.dir / 'redis.pid'}",
                    f"logfile {self.dir / 'redis.log'}",
                    f"dir {self.dir}",
                    "appendonly yes",
                    "appendfsync everysec",
                    'save ""',
                ]
            )
            + "\n"
        )
        return conf

    def _start(self) -> None:
        server = shutil.which("redis-server")
        if server is None:
            raise ToolMissing("redis-server is not installed (run `make setup`)")
        self.socket.unlink(missing_ok=True)
        proc = subprocess.run(
            [server, str(self._config())],
            capture_output=True,
            timeout=30,
            check=False,
            env=tool_env(),  # a daemon outliving us: none of the secrets of whoever started it
        )
        if proc.returncode != 0:
            raise ToolFailed(
                f"redis-server did not start: {proc.stderr.decode(errors='replace')[-500:]}"
            )
        deadline = time.monotonic() + START_TIMEOUT
        while not self.is_running():
            if time.monotonic() > deadline:
                log_file = self.dir / "redis.log"
                raise ToolFailed(
                    f"redis-server did not answer in {START_TIMEOUT:.0f} s; see {log_file}"
                )
            time.sleep(0.02)
        log.debug("started embedded redis-server on %s", self.socket)

    def _stop(self) -> None:
        if not self.is_running():
            return
        pid = self._pid()
        with contextlib.suppress(redis.ConnectionError, OSError):  # it hangs up as it exits
            self._client().shutdown()
        deadline = time.monotonic() + STOP_TIMEOUT
        while (self.is_running() or process_alive(pid)) and time.monotonic() < deadline:
            time.sleep(0.01)
        log.debug("stopped embedded redis-server on %s", self.socket)


def process_alive(pid: int | None) -> bool:
    """Whether a process exists and has not yet exited (a zombie counts as exited)."""
    if pid is None:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
