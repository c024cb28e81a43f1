"""The embedded redis-server: started on demand, shared, stopped by the last user, durable."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import redis
from rq.serializers import JSONSerializer

from workers.queues import get_queue
from workers.redis_embedded import EmbeddedRedis, process_alive


def _server_pid(data_dir: Path) -> int | None:
    pidfile = data_dir / "redis" / "redis.pid"
    return int(pidfile.read_text()) if pidfile.exists() else None


def test_the_first_user_starts_it_and_the_last_stops_it(tmp_path: Path) -> None:
    first, second = EmbeddedRedis(tmp_path), EmbeddedRedis(tmp_path)
    with first as url:
        assert redis.Redis.from_url(url).ping()
        pid = _server_pid(tmp_path)
        with second:
            assert _server_pid(tmp_path) == pid  # reused, not a second server
        assert first.is_running()  # the other user is still in
    assert not first.is_running()
    assert pid is not None and not process_alive(pid)


def test_queued_jobs_survive_a_stop_and_start(tmp_path: Path) -> None:
    with EmbeddedRedis(tmp_path) as url:
        get_queue(redis.Redis.from_url(url), "maintenance").enqueue("builtins.print", "x")
    with EmbeddedRedis(tmp_path) as url:
        queue = get_queue(redis.Redis.from_url(url), "maintenance")
        assert queue.count == 1
        assert queue.jobs[0].serializer is JSONSerializer


def test_a_server_left_by_a_killed_process_is_reused_then_stopped(tmp_path: Path) -> None:
    holder = os.fork()
    if holder == 0:  # a sohoa process that takes a lease and dies without letting go
        EmbeddedRedis(tmp_path).acquire()
        os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(holder, 0)
    orphan = _server_pid(tmp_path)
    assert orphan is not None and process_alive(orphan)
    with EmbeddedRedis(tmp_path):
        assert _server_pid(tmp_path) == orphan
    assert not process_alive(orphan)


def test_a_long_data_directory_puts_the_socket_somewhere_short(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    server = EmbeddedRedis(deep)
    assert len(str(server.socket)) <= 100
    with server as url:
        assert redis.Redis.from_url(url).ping()
