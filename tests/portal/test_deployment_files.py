"""docker-compose.yml cannot be run here (no Docker engine); check what can be checked."""

import importlib
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
PORTAL_SERVICES = ["web", "worker", "beat"]


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
