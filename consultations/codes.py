"""Codes that people read aloud, copy from paper or type at the door.

One alphabet for every capability (hearing registration codes, poll voting codes): no
0/O, 1/I/L, which older residents mix up. `normalise_code` turns what someone typed or
scanned into the stored form; codes issued before the alphabet was shared (a poll code
may contain an L) are still found, because normalising only drops case, spaces and dashes.
"""

import secrets

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(length):
    """A random code of `length` characters from the unambiguous alphabet."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code):
    """What a person typed or scanned, as a stored code: upper case, letters and digits only."""
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())
