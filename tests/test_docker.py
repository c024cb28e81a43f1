"""docker/: the image and the compose file describe the deployment the docs promise, and,
where a Docker daemon answers, the stack really runs (scripts/docker-smoke.sh)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from config import defaults
from workers.queues import QueueName, with_lanes

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


def test_workers_share_the_blob_volume_and_serve_every_queue() -> None:
    services = _compose()["services"]
    served: set[str] = set()
    for name in SOHOA_SERVICES:
        service = services[name]
        blob_dir = service["environment"]["SOHOA_BLOB_DIR"]
        assert any(v.split(":")[1] == blob_dir for v in service["volumes"]), name
        command = service["command"]
        served |= {command[i + 1] for i, arg in enumerate(command) if arg == "--queue"}
    assert set(with_lanes([QueueName(q) for q in served])) == set(QueueName)


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
    assert "FROM python:3.11-slim-bookworm" in dockerfile  # Debian base
    for package in ("api", "workers", "digitize", "signing", "storage", "config"):
        assert f"COPY {package} ./{package}" in dockerfile


def _docker_usable() -> str | None:
    """None if a Docker daemon with compose answers, else why not."""
    if shutil.which("docker") is None:
        return "no docker client"
    info = subprocess.run(["docker", "info"], capture_output=True, text=True, check=False)
    if info.returncode != 0:
        return f"no Docker daemon: {info.stderr.strip().splitlines()[-1:]}"
    compose = subprocess.run(
        ["docker", "compose", "version"], capture_output=True, text=True, check=False
    )
    return None if compose.returncode == 0 else "no docker compose plugin"


@pytest.mark.slow
def test_the_compose_stack_digitizes_a_scan() -> None:
    why = _docker_usable()
    if why:
        pytest.skip(f"Docker is not usable here ({why}); run scripts/docker-smoke.sh where it is")
    proc = subprocess.run(
        [str(REPO / "scripts" / "docker-smoke.sh")],
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
