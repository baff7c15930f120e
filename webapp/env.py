"""The one `env` object every setting is read through (django-environ)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is a convenience for development; real deployments set the environment.
_dotenv = BASE_DIR / ".env"
if _dotenv.exists():
    env.read_env(str(_dotenv))
