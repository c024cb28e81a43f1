"""Passphrases and PINs from the environment or a secret file: never from a prompt."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import SecretStr

from config.settings import Settings
from signing.errors import SecretMissing


def read_secret(
    *, what: str, value: SecretStr | None, file: Path | None, env_name: str | None = None
) -> str:
    """The secret from, in order: the variable named by the profile, the setting, its file.

    A service has nobody to type a passphrase, so a missing one is a configuration error
    that names every place looked at, never a prompt. A trailing newline in the file (as
    editors and `echo` leave) is not part of the secret.
    """
    if env_name and env_name in os.environ:
        return os.environ[env_name]
    if value is not None:
        return value.get_secret_value()
    if file is not None:
        try:
            return file.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as e:
            raise SecretMissing(f"{what}: cannot read the secret file {file}: {e}") from e
    places = [p for p in (env_name, f"SOHOA_{what.upper()}", f"SOHOA_{what.upper()}_FILE") if p]
    raise SecretMissing(f"{what} is not configured (looked at {', '.join(places)})")


def sign_passphrase(settings: Settings, env_name: str | None = None) -> str:
    """The passphrase of PKCS#12 key files."""
    return read_secret(
        what="sign_passphrase",
        value=settings.sign_passphrase,
        file=settings.sign_passphrase_file,
        env_name=env_name,
    )


def token_pin(settings: Settings, env_name: str | None = None) -> str:
    """The user PIN of a server-side PKCS#11 token."""
    return read_secret(
        what="token_pin", value=settings.token_pin, file=settings.token_pin_file, env_name=env_name
    )
