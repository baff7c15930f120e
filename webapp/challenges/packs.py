"""Data packs: each deployment derives its own seed per challenge from a secret, so the references
of a public generator cannot be recomputed from the repository. The pack is a zip with a README."""

import hashlib
import hmac
import io
import zipfile

from django.conf import settings

from webapp.challenges.catalog.base import Challenge, Pack


def challenge_seed(challenge: Challenge) -> int:
    secret = (settings.CHALLENGE_SECRET or settings.SECRET_KEY).encode()
    digest = hmac.new(secret, f"challenge:{challenge.slug}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big")


def challenge_pack(challenge: Challenge) -> Pack:
    return challenge.build(challenge_seed(challenge))


def readme(challenge: Challenge, pack: Pack) -> str:
    direction = "at least" if challenge.higher_is_better else "at most"
    return f"""# {challenge.title}

## Task
{challenge.task}

## What to submit
{challenge.submission_format}

## How it is scored
{challenge.metric}; to pass you need {direction} {challenge.threshold:g}{challenge.unit}.
The baseline to beat: {challenge.baseline_method}.

## How to submit
Upload one file (or one zip) on the challenge's page in Soundpath. It is scored on a worker; the
result page shows the score, its breakdown, and whether you passed. Passing marks the topic
"{challenge.topic}" as mastered.

## Where the audio comes from
{pack.sources}

This pack was generated for this Soundpath server; the reference answers stay on the server.
"""


def pack_zip(challenge: Challenge, pack: Pack) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", readme(challenge, pack))
        for name, data in sorted(pack.files.items()):
            archive.writestr(f"data/{name}", data)
    return buffer.getvalue()
