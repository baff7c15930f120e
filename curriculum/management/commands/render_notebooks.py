"""Execute every phase notebook and store its read-only HTML rendering (run at build/deploy time, on a
machine allowed to load models: the notebooks call engines as starter kits)."""

import time

from django.core.management.base import BaseCommand, CommandError

from curriculum.notebook_pages import NOTEBOOKS_DIR, notebook_html, rendered_path


class Command(BaseCommand):
    help = (
        "Execute the phase notebooks (curriculum/notebooks) and render them to HTML under VAR_DIR/notebooks."
    )

    def add_arguments(self, parser):
        parser.add_argument("phases", nargs="*", help="phase ids (default: all)")
        parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
        parser.add_argument(
            "--missing",
            action="store_true",
            help="only notebooks whose view is missing or older than the notebook",
        )

    def handle(self, *args, phases, timeout, missing=False, **options):
        import nbformat
        from nbclient import NotebookClient

        paths = [NOTEBOOKS_DIR / f"{p}.ipynb" for p in phases] or sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
        for path in paths:
            if not path.is_file():
                raise CommandError(f"No notebook {path.name} in {NOTEBOOKS_DIR}.")
            target = rendered_path(phase_slug=path.stem)
            if missing and target.is_file() and target.stat().st_mtime >= path.stat().st_mtime:
                continue
            book = nbformat.read(path, as_version=4)
            started = time.perf_counter()
            client = NotebookClient(book, timeout=timeout, kernel_name="python3",
                                    resources={"metadata": {"path": str(NOTEBOOKS_DIR.parents[1])}})  # fmt: skip
            client.execute()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(notebook_html(notebook=book), encoding="utf-8")
            self.stdout.write(f"{path.stem}: executed in {time.perf_counter() - started:.1f} s → {target}")
