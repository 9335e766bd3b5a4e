"""Development: `make run`. SQLite and console providers unless the environment says otherwise."""

import secrets

from config.env import env_bool, env_str

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = env_bool("DEBUG", True)
# `make run`'s demo admin logs in without a device; ADMIN_2FA_REQUIRED=true tries the production behaviour.
ADMIN_2FA_REQUIRED = env_bool("ADMIN_2FA_REQUIRED", False)


def _dev_secret_key():
    # A random key kept under var/ so sessions survive restarts; never a fixed key in the code.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY") or _dev_secret_key()
