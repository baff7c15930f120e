"""manage.py models list | pull <name> [--accept-licence NAME]: hub models for deployments with internet."""

from django.core.management.base import BaseCommand, CommandError

from workers.engines.base import EngineError
from workers.engines.hub_pull import CATALOGUE, pull, pulled_dir


class Command(BaseCommand):
    help = "List the hub models this platform can use, or download one into $SOUNDPATH_MODEL_DIR/hub/."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="the named hub models and where each would be used")
        pull_parser = sub.add_parser("pull", help="download one (HF_ENDPOINT and HF_TOKEN are honoured)")
        pull_parser.add_argument("name", choices=sorted(CATALOGUE))
        pull_parser.add_argument("--accept-licence", default="", help="required for non-commercial licences")

    def handle(self, *args, action: str, name: str = "", accept_licence: str = "", **options):
        if action == "list":
            for model in CATALOGUE.values():
                here = pulled_dir(model.env_var)
                state = f"pulled: {here}" if here and here.name == model.name else "not pulled"
                self.stdout.write(
                    f"{model.name:28} {model.repo_id:50} {model.env_var:38} {model.licence} ({state})"
                )
            return
        try:
            folder = pull(CATALOGUE[name], accept_licence=accept_licence)
        except EngineError as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:  # network or hub errors: say what failed, leave partial files to resume
            raise CommandError(
                f"{name}: download failed ({type(exc).__name__}: {exc}); run it again to resume"
            ) from exc
        self.stdout.write(f"{name}: all files checked, in {folder}")
