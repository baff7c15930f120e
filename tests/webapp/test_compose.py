"""docker/compose.yaml (not run here: no Docker engine on these machines) still says what it must."""

import yaml

from tests.processes import ROOT


def test_compose_runs_exactly_one_celery_beat_and_workers_without_an_embedded_one():
    services = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())["services"]

    commands = {name: service.get("command") or [] for name, service in services.items()}
    beats = [
        name
        for name, command in commands.items()
        if command[:4] == ["celery", "-A", "workers.celery", "beat"]
    ]
    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    assert not any("-B" in command or "--beat" in command for command in commands.values())
