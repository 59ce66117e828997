"""docker-compose.yml cannot be run here (no Docker engine); check what can be checked."""

import importlib
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
PORTAL_SERVICES = ["web", "worker", "beat"]
ALL_INTERFACES = "*"  # a port published without a host address


def commands_of(service: str) -> list[list[str]]:
    command = COMPOSE["services"][service]["command"]
    words = shlex.split(command) if isinstance(command, str) else command
    if words[:2] == ["sh", "-c"]:
        return [shlex.split(part) for part in words[2].split("&&")]
    return [words]


def assert_entry_point_exists(words: list[str]) -> None:
    program = words[0]
    if program == "gunicorn":
        module, _, attribute = words[-1].partition(":")
        assert getattr(importlib.import_module(module), attribute)
        config = words[words.index("-c") + 1]
        assert (ROOT / config).is_file()
    elif program == "celery":
        app_module = words[words.index("-A") + 1]
        assert importlib.import_module(app_module).celery_app.main == "portal"
        assert words[words.index("-A") + 2] in {"worker", "beat"}
    elif program == "python" and words[1] == "manage.py":
        assert words[2] in get_commands(), f"no management command {words[2]!r}"
    else:
        pytest.fail(f"unexpected program {program!r} in docker-compose.yml")


@pytest.mark.parametrize("service", PORTAL_SERVICES)
def test_compose_service_runs_an_entry_point_that_exists(service):
    for words in commands_of(service):
        assert_entry_point_exists(words)


def test_every_service_has_a_health_check_or_is_beat():
    for name, service in COMPOSE["services"].items():
        assert "healthcheck" in service or name == "beat", name


def test_data_lives_in_named_volumes():
    assert {"postgres-data", "redis-data", "beat-schedule"} <= set(COMPOSE["volumes"])


def test_the_image_builds_from_the_pinned_requirements():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements.txt" in dockerfile
    assert "collectstatic" in dockerfile


def _published_ports() -> dict[str, list[tuple[str, str]]]:
    """(host address, published port) per service, as `docker-compose config` resolves them (the
    file itself where docker-compose is not installed)."""
    if shutil.which("docker-compose"):
        resolved = subprocess.run(
            ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config"],
            capture_output=True, text=True, check=True,
            env={**os.environ, "SECRET_KEY": "only-for-this-test", "JOURNAL_KEY": "only-for-this-test"},
        ).stdout  # fmt: skip
        services = yaml.safe_load(resolved)["services"]
    else:
        services = COMPOSE["services"]
    published = {}
    for name, service in services.items():
        for port in service.get("ports", []):
            if isinstance(port, dict):
                published.setdefault(name, []).append((port.get("host_ip", ALL_INTERFACES), str(port.get("published"))))
            else:
                parts = str(port).split("/")[0].split(":")
                host = parts[0] if len(parts) == 3 else ALL_INTERFACES
                published.setdefault(name, []).append((host, parts[-2] if len(parts) > 1 else parts[0]))
    return published


def test_only_the_tls_proxy_is_published_beyond_this_host():
    published = _published_ports()
    beyond_localhost = {name for name, ports in published.items() for host, _ in ports if host != "127.0.0.1"}
    assert beyond_localhost == {"proxy"}
    assert {port for _, port in published["proxy"]} == {"80", "443"}
    assert published["mail"] == [("127.0.0.1", "8025")]


def test_the_proxy_sends_to_web_and_web_trusts_exactly_one_proxy():
    assert "reverse_proxy web:8000" in (ROOT / "Caddyfile").read_text()
    assert COMPOSE["services"]["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"
