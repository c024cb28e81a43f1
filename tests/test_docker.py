"""docker/: the image and the compose file describe the deployment the docs promise, and,
where a Docker daemon answers, they really run: the image's containers against PostgreSQL
and Redis (scripts/docker-image-smoke.sh), the compose stack (scripts/docker-smoke.sh)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from api.cli.worker_cmd import worker
from config import defaults
from workers.queues import all_queues, worker_queues

REPO = Path(__file__).resolve().parent.parent
SOHOA_SERVICES = ("api", "worker-digitize", "worker-sign", "worker-archive", "worker-maintenance")


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "docker" / "compose.yaml").read_text())
    return data


def _seconds(duration: str) -> int:
    match = re.fullmatch(r"(\d+)([sm])", duration)
    assert match, duration
    return int(match[1]) * (60 if match[2] == "m" else 1)


def test_every_long_running_service_has_a_health_check() -> None:
    services = _compose()["services"]
    assert {"postgres", "redis", "migrate", *SOHOA_SERVICES} <= set(services)
    for name in ("postgres", "redis", *SOHOA_SERVICES):
        assert services[name].get("healthcheck", {}).get("test"), name


def test_redis_persists_its_queue() -> None:
    command = _compose()["services"]["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert _compose()["services"]["redis"]["volumes"]


def test_redis_takes_a_password_and_sohoa_gives_it() -> None:
    """Redis names what workers run: nobody reaches it without the password (compose
    refuses to start without SOHOA_REDIS_PASSWORD)."""
    services = _compose()["services"]
    command = services["redis"]["command"]
    password = command[command.index("--requirepass") + 1]
    assert password.startswith("${SOHOA_REDIS_PASSWORD:?")
    url = services["api"]["environment"]["SOHOA_REDIS_URL"]
    assert url.startswith(f"redis://:{password}@redis:")
    assert services["redis"]["environment"]["REDISCLI_AUTH"] == password
    assert "ports" not in services["redis"]


def test_workers_share_the_blob_volume() -> None:
    services = _compose()["services"]
    for name in SOHOA_SERVICES:
        service = services[name]
        blob_dir = service["environment"]["SOHOA_BLOB_DIR"]
        assert any(v.split(":")[1] == blob_dir for v in service["volumes"]), name


def served_queues() -> dict[str, tuple[str, ...]]:
    """The queues each worker service of the compose file listens to, its command's
    options read by `sohoa worker` itself and resolved against the job table."""
    served = {}
    for name, service in _compose()["services"].items():
        command = service.get("command", [])
        if command[:2] == ["sohoa", "worker"]:
            params = worker.make_context("worker", command[2:]).params
            served[name] = worker_queues(params["queue_names"], params["skipped"])
    return served


def test_every_queue_of_the_job_table_is_served_by_a_compose_worker() -> None:
    """GIVEN the compose file WHEN each worker's options are resolved against workers.jobs
    THEN every queue of the table has a worker, and only the sign workers, which hold the
    keys, take signing jobs."""
    served = served_queues()
    assert set(served) == {name for name in SOHOA_SERVICES if name.startswith("worker-")}
    assert {q for queues in served.values() for q in queues} == set(all_queues())
    assert [name for name, queues in served.items() if "sign" in queues] == ["worker-sign"]
    assert served["worker-digitize"] == ("digitize-urgent", "digitize")


def test_a_stopping_worker_gets_time_to_finish_or_requeue() -> None:
    services = _compose()["services"]
    for name in SOHOA_SERVICES[1:]:
        grace = float(services[name]["environment"]["SOHOA_WORKER_STOP_GRACE"])
        assert grace <= defaults.WORKER_STOP_GRACE
        assert _seconds(services[name]["stop_grace_period"]) > grace + 30, name
        assert services[name]["init"] is True


def test_the_image_installs_what_setup_installs_for_running() -> None:
    dockerfile = (REPO / "docker" / "Dockerfile").read_text()
    for package in ("tesseract-ocr-vie", "poppler-utils", "redis-tools", "fonts-liberation2"):
        assert package in dockerfile
    # Debian's base and Debian's own Python 3.11, in a virtualenv
    assert "FROM debian:bookworm-slim AS build" in dockerfile
    assert "\nFROM debian:bookworm-slim\n" in dockerfile
    assert "python3-venv" in dockerfile
    for package in ("api", "workers", "digitize", "signing", "storage", "config"):
        assert f"COPY {package} ./{package}" in dockerfile


def test_the_image_installs_its_dependencies_from_the_hashed_lock() -> None:
    """The image runs what the tests ran: requirements/app.lock, hash-checked, and nothing
    resolved at build time from pyproject.toml's ranges."""
    dockerfile = (REPO / "docker" / "Dockerfile").read_text()
    assert "scripts/install-locked.sh /opt/sohoa requirements/app.lock --deps-only" in dockerfile
    assert "tomllib" not in dockerfile
    sent = (REPO / ".dockerignore").read_text().splitlines()
    assert "!requirements/app.lock" in sent and "!scripts/install-locked.sh" in sent


def _docker(*args: str) -> subprocess.CompletedProcess[str]:
    """`docker ARGS`, its output captured; a pull that hangs counts as a failure."""
    try:
        return subprocess.run(
            ["docker", *args], capture_output=True, text=True, timeout=900, check=False
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, 1, "", f"docker {args[0]}: timed out")


def _daemon_missing() -> str | None:
    """None if a Docker daemon answers, else why not."""
    if shutil.which("docker") is None:
        return "no docker client"
    info = _docker("info")
    if info.returncode != 0:
        return f"no Docker daemon: {info.stderr.strip().splitlines()[-1:]}"
    return None


def _image_missing(image: str) -> str | None:
    """None if the daemon has the image or can pull it, else why not."""
    if _docker("image", "inspect", image).returncode == 0:
        return None
    pull = _docker("pull", image)
    if pull.returncode == 0:
        return None
    return f"{image} is neither here nor pullable: {pull.stderr.strip().splitlines()[-1:]}"


def _compose_missing() -> str | None:
    """None if the compose stack can be started here, else precisely why not."""
    why = _daemon_missing()
    if why:
        return why
    if _docker("compose", "version").returncode != 0:
        return "no docker compose v2 plugin"
    for image in ("debian:bookworm-slim", "postgres:15", "redis:7"):
        why = _image_missing(image)
        if why:
            return why
    return None


def _smoke(script: str) -> subprocess.CompletedProcess[str]:
    """One of the smoke scripts in scripts/, run to its end (an hour at most)."""
    return subprocess.run(
        [str(REPO / "scripts" / script)], capture_output=True, text=True, timeout=3600, check=False
    )


@pytest.mark.slow
def test_the_image_digitizes_a_scan_against_postgres_and_redis() -> None:
    """The image built and run for real, one container per compose service on the host's
    network, with that service's command and health check; skipped without a daemon or
    a base image, and failing if a container is unhealthy or the scan is not digitized."""
    why = _daemon_missing() or _image_missing("debian:bookworm-slim")
    if why:
        pytest.skip(f"Docker image smoke not run ({why}); see scripts/docker-base-offline.sh")
    for program in ("createdb", "redis-server"):
        if shutil.which(program) is None:
            pytest.skip(f"Docker image smoke not run: no {program} on this host")
    proc = _smoke("docker-image-smoke.sh")
    assert proc.returncode == 0, (proc.stdout[-3000:], proc.stderr[-3000:])


@pytest.mark.slow
def test_the_compose_stack_digitizes_a_scan() -> None:
    why = _compose_missing()
    if why:
        pytest.skip(f"compose stack not run ({why}); run scripts/docker-smoke.sh where it can")
    proc = _smoke("docker-smoke.sh")
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_the_api_service_has_the_scanners_share_it_files_stacks_from() -> None:
    """sohoa serve looks at the inbox itself (api.inbox_watch): compose mounts the share
    there and names it, and keeps the shared volumes every sohoa service mounts."""
    api = _compose()["services"]["api"]
    inbox = api["environment"]["SOHOA_INBOX_DIR"]
    assert any(volume.endswith(f":{inbox}") for volume in api["volumes"])
    worker = _compose()["services"]["worker-digitize"]
    assert set(worker["volumes"]) <= set(api["volumes"])
