"""Sealing secret ballots while they wait in the pool (AES-GCM, key from SECRET_KEY).

The key is derived with HKDF from `SECRET_KEY`; `SECRET_KEY_FALLBACKS` still open entries
sealed before a key rotation. A sealed entry is a random 96-bit nonce followed by the
ciphertext and tag; the poll's id is bound as associated data, so an entry cannot be moved
to another poll. No timestamp is stored (unlike Fernet tokens).
"""

import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

NONCE_BYTES = 12
_INFO = b"consultations.polls.ballot-pool.v1"


class UnsealError(ValueError):
    """No configured key opens this entry (SECRET_KEY changed without a fallback)."""


def _key(secret):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode())


def _keys():
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_key(secret) for secret in secrets]


def seal(poll_id, payload):
    nonce = os.urandom(NONCE_BYTES)
    data = json.dumps(payload, separators=(",", ":")).encode()
    return nonce + AESGCM(_keys()[0]).encrypt(nonce, data, str(poll_id).encode())


def unseal(poll_id, sealed):
    sealed = bytes(sealed)
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    for key in _keys():
        try:
            return json.loads(AESGCM(key).decrypt(nonce, body, str(poll_id).encode()))
        except InvalidTag:
            continue
    raise UnsealError("No configured key opens this sealed ballot.")
