"""How every demo is mounted: the blocked paths, the upload folder's place, Gradio's cache sweep."""

from pathlib import Path

import gradio as gr
import pytest
from django.core.exceptions import ImproperlyConfigured
from fastapi import FastAPI

from demos.mounting import CACHE_SWEEP_EVERY_SECONDS, demo_blocked_paths, demo_mount


def test_blocked_paths_cover_the_repository_var_media_system_and_home(settings, tmp_path):
    blocked = demo_blocked_paths(upload_dir=tmp_path)

    for folder in [settings.BASE_DIR, settings.VAR_DIR, settings.MEDIA_ROOT, Path.home()]:
        assert str(Path(folder).resolve()) in blocked
    assert {"/proc", "/etc", "/home", "/root", "/sys"} <= set(blocked)


@pytest.mark.parametrize("inside", ["BASE_DIR", "VAR_DIR", "MEDIA_ROOT"])
def test_an_upload_folder_inside_the_project_is_refused(settings, inside):
    with pytest.raises(ImproperlyConfigured, match="must lie outside"):
        demo_blocked_paths(upload_dir=Path(getattr(settings, inside)).resolve() / "uploads")


def test_a_mounted_demo_sweeps_its_cache_and_blocks_the_project(settings, tmp_path):
    settings.DEMO_CACHE_MAX_AGE_HOURS = 2
    with gr.Blocks() as blocks:
        gr.Button("Run")
    app = FastAPI()

    demo_mount(app, blocks, slug="probe", upload_dir=tmp_path)

    assert blocks.delete_cache == (CACHE_SWEEP_EVERY_SECONDS, 2 * 3600)
    assert str(Path(settings.VAR_DIR).resolve()) in blocks.blocked_paths
    assert blocks.allowed_paths == []
