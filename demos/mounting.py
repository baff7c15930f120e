"""Mounting a demo safely: file inputs only from the demo upload folder, blocked paths, Gradio routes
the demos don't use removed, the cache cleaned on a schedule, one sign-in banner for visitors, and
no work done for a visitor's events.

Why this is needed: Gradio checks "was this file uploaded here?" only for apps that were launched
(`Blocks.has_launched`); a mounted app skips the check, so a `{"path": "/any/file", "meta":
{"_type": "gradio.FileData"}}` input would be copied into the cache and served back. Setting
`has_launched` instead would also apply the check to our own handlers' outputs (job results under
var/media, a blocked path), and it still lets http:// inputs through to a server-side download.
"""

import logging
import os
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from demos.cache import KEEP_MANIFEST, demo_cache_max_age_seconds

log = logging.getLogger(__name__)

# Folders no demo may read or serve from, besides the repository, var/ and media (added below).
SYSTEM_BLOCKED_PATHS = ("/proc", "/sys", "/dev", "/etc", "/root", "/home", "/var", "/run", "/boot", "/srv")
# Gradio routes the demos never use. deep_link writes session state to a file and serves it; proxy=
# and the file= URL form fetch other servers; the others are dev, monitoring, MCP and
# vibe-coding tools that no visitor should reach.
UNUSED_ROUTE_PREFIXES = (
    "/gradio_api/deep_link",
    "/gradio_api/proxy=",
    "/gradio_api/file/",
    "/gradio_api/process_recording",
    "/gradio_api/component_server",  # server functions of FileExplorer & co., which no demo has
    "/gradio_api/dev/",
    "/gradio_api/vibe",
    "/gradio_api/undo-vibe",
    "/gradio_api/run-history",
    "/gradio_api/runs",
    "/gradio_api/profiling",
    "/gradio_api/mcp",
    "/monitoring",
    "/login",
    "/logout",
)
CACHE_SWEEP_EVERY_SECONDS = 600
REFUSED_FILE_MESSAGE = "That file was not uploaded to this demo: upload or record it again."


def demo_upload_dir() -> Path:
    """The one folder Gradio uploads to and caches in (GRADIO_TEMP_DIR), created if missing."""
    folder = Path(os.path.realpath(settings.DEMO_UPLOAD_DIR))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def demo_blocked_paths(*, upload_dir: Path) -> list[str]:
    """The repository, var/, media, system folders and home folders, less any that hold the upload
    folder (blocked paths take precedence in Gradio, so blocking it would break every demo)."""
    project = [settings.BASE_DIR, settings.VAR_DIR, settings.MEDIA_ROOT]
    for folder in project:
        if upload_dir.is_relative_to(os.path.realpath(folder)):
            raise ImproperlyConfigured(
                f"DEMO_UPLOAD_DIR ({upload_dir}) must lie outside the repository, var/ and MEDIA_ROOT."
            )
    candidates = [*map(str, project), *SYSTEM_BLOCKED_PATHS, str(Path.home())]
    return sorted(
        {os.path.realpath(p) for p in candidates if not upload_dir.is_relative_to(os.path.realpath(p))}
    )


def file_input_refusal(path: str, *, upload_dir: Path) -> str | None:
    """Why a file named in a demo's input is refused, or None for a file stored in the upload folder
    (an upload, a recording, an example copy). Symlinks are resolved before the folder check."""
    if "://" in path or path.lower().startswith(("file:", "data:", "http:", "https:")):
        return "a URL"
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(upload_dir):
        return "outside the demo upload folder"
    if any(part.startswith(".") for part in real.relative_to(upload_dir).parts):
        return "a hidden file"
    if not real.is_file():
        return "not a stored file"
    return None


def _file_references(data) -> list[str]:
    from gradio_client.utils import is_file_obj_with_meta, traverse

    found: list[str] = []
    traverse(data, lambda d: found.append(d["path"]) or d, is_file_obj_with_meta)
    return found


def file_inputs_guard_install(*, blocks, upload_dir: Path) -> None:
    """Check every file reference in every event's inputs before Gradio copies anything: every
    route that runs an event (queue/join, call, run, stream) goes through `preprocess_data`."""
    from gradio.exceptions import Error

    preprocess = blocks.preprocess_data

    async def preprocess_data(block_fn, inputs, state, explicit_call=False):
        for path in _file_references(inputs):
            reason = file_input_refusal(path, upload_dir=upload_dir)
            if reason:
                log.warning("demo input refused (%s): %r", reason, path[:300])
                raise Error(REFUSED_FILE_MESSAGE)
        return await preprocess(block_fn, inputs, state, explicit_call)

    blocks.preprocess_data = preprocess_data


def visitor_gate_install(*, blocks, open_to_visitors) -> None:
    """Demos that do work need a signed-in user, whatever each handler checks: an event from a
    visitor (no valid Django session) answers "no change" to every output without running, unless
    `open_to_visitors(block_fn)` allows it (the sign-in banner, loading a shipped example). Silent,
    so visitors see the one sign-in banner instead of an error in every output box."""
    import inspect

    from webapp.sessions import asession_user

    process = blocks.process_api
    signature = inspect.signature(process)

    async def process_api(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        block_fn, request = bound.arguments["block_fn"], bound.arguments.get("request")
        block_fn = blocks.fns[block_fn] if isinstance(block_fn, int) else block_fn
        request = request[0] if isinstance(request, list) and request else request
        if request is not None and not open_to_visitors(block_fn):
            cookies = getattr(request, "cookies", None) or {}
            if await asession_user(session_key=cookies.get(settings.SESSION_COOKIE_NAME)) is None:
                return {
                    "data": [{"__type__": "update"} for _ in block_fn.outputs], "is_generating": False,
                    "iterator": None, "duration": 0.0, "average_duration": None, "render_config": None,
                    "changed_state_ids": [], "used_cache": None,
                }  # fmt: skip
        return await process(*args, **kwargs)

    blocks.process_api = process_api


def unused_routes_remove(*, router) -> list[str]:
    """Drop UNUSED_ROUTE_PREFIXES from a mounted Gradio app's router and the routers it includes
    (FastAPI keeps included routers live); returns the paths removed. Call before the first request."""
    removed: list[str] = []
    kept = []
    for route in router.routes:
        nested = getattr(route, "original_router", None)
        if nested is not None:
            removed += unused_routes_remove(router=nested)
        elif getattr(route, "path", "").startswith(UNUSED_ROUTE_PREFIXES):
            removed.append(route.path)
            continue
        kept.append(route)
    router.routes[:] = kept
    getattr(router, "_mark_routes_changed", lambda: None)()
    return removed


def sign_in_url(slug: str) -> str:
    return f"/accounts/login/?next={quote(f'/demos/{slug}/')}"


def sign_in_banner_add(*, blocks, slug: str):
    """One "Sign in to run this demo" message at the top for visitors, with the run buttons turned
    off, instead of a red error in every output box; signed-in users see nothing extra. Returns
    the banner's load function."""
    import gradio as gr

    from demos.common import request_user, with_django_db

    buttons = [b for b in blocks.blocks.values() if isinstance(b, gr.Button)]
    html = (
        '<div class="sign-in-to-run" role="status"><strong>Sign in to run this demo.</strong> You can read '
        "how it works and its model card; running it needs an account, because models run on shared "
        f'workers, one queue per person. <a href="{sign_in_url(slug)}" target="_top">Sign in</a></div>'
    )

    def show(request: gr.Request):
        if request_user(request) is None:
            return [gr.update(visible=True, value=html), *[gr.update(interactive=False) for _ in buttons]]
        return [gr.update(visible=False), *[gr.skip() for _ in buttons]]

    show = with_django_db(show)
    with blocks:
        banner = gr.HTML(visible=False, elem_id="sign-in-to-run")
        blocks.load(show, outputs=[banner, *buttons], show_progress="hidden", api_name=False)
    blocks.children.remove(banner)
    blocks.children.insert(0, banner)
    return show


def cache_keep_manifest_write(*, blocks_list, upload_dir: Path) -> Path:
    """List the cache files the demos' pages name from start-up on (default values copied into the
    cache when a demo is built), so the purge task, which runs in a worker, keeps them. Example clips
    need no entry: each click copies the shipped clip into the cache afresh."""
    from gradio_client.utils import is_file_obj, traverse

    kept: set[str] = set()
    for blocks in blocks_list:
        traverse(blocks.config, lambda d: kept.add(d["path"]) or d, is_file_obj)
    kept = {p for p in kept if Path(p).is_relative_to(upload_dir)}
    manifest = upload_dir / KEEP_MANIFEST
    with tempfile.NamedTemporaryFile("w", dir=upload_dir, prefix=".keep-", delete=False) as out:
        out.write("\n".join(sorted(kept)) + "\n")
    os.replace(out.name, manifest)
    return manifest


def _loads_examples(block_fn) -> bool:
    """A click on a gr.Examples row: it only fills inputs with a shipped sample."""
    import gradio as gr

    return bool(block_fn.inputs) and all(isinstance(i, gr.Dataset) for i in block_fn.inputs)


def demo_mount(app, blocks, *, slug: str, upload_dir: Path):
    """Mount one demo's Blocks at /demos/<slug>/ with every guard above; returns the Gradio app."""
    import gradio as gr

    from demos.page import gradio_page_options

    banner = sign_in_banner_add(blocks=blocks, slug=slug)
    visitor_gate_install(blocks=blocks, open_to_visitors=lambda fn: fn.fn is banner or _loads_examples(fn))
    file_inputs_guard_install(blocks=blocks, upload_dir=upload_dir)
    blocks.delete_cache = (CACHE_SWEEP_EVERY_SECONDS, int(demo_cache_max_age_seconds()))
    # An explicit root path: without it, file URLs of examples lose the /demos/<slug> prefix.
    # Gradio refuses (413) an upload past the jobs' size limit while it streams in.
    gr.mount_gradio_app(
        app, blocks, path=f"/demos/{slug}", root_path=f"/demos/{slug}",
        max_file_size=settings.JOB_UPLOAD_MAX_BYTES,
        blocked_paths=demo_blocked_paths(upload_dir=upload_dir), allowed_paths=[],
        footer_links=["api"], run_history=False, mcp_server=False, ssr_mode=False,
        **gradio_page_options(),  # theme, CSS and the iframe-height script (demos/page.py)
    )  # fmt: skip
    from starlette.routing import Mount

    gradio_app = next(r.app for r in app.routes if isinstance(r, Mount) and r.path == f"/demos/{slug}")
    unused_routes_remove(router=gradio_app.router)
    return gradio_app
