"""Small tasks for the job-runner tests (module-level, so a worker process can import them)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from netnav.errors import CorruptFileError
from netnav.jobs import JobContext


def count(ctx: JobContext, payload: Mapping[str, Any]) -> str:
    total = int(payload["n"])
    for i in range(1, total + 1):
        ctx.progress("count", i, total)
        time.sleep(float(payload.get("sleep", 0.0)))
    return f"counted {total}"


def spin(ctx: JobContext, payload: Mapping[str, Any]) -> str:
    x = 0
    while True:  # burns CPU until the limit stops it
        x += 1


def hog(ctx: JobContext, payload: Mapping[str, Any]) -> str:
    blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GiB
    return str(len(blocks))


def sleep(ctx: JobContext, payload: Mapping[str, Any]) -> str:
    ctx.progress("sleep", 0, 1)
    time.sleep(float(payload.get("seconds", 60)))
    return "slept"


def bad_input(ctx: JobContext, payload: Mapping[str, Any]) -> str:
    raise CorruptFileError("truncated or damaged PDF: no %%EOF end marker")


def crash(ctx: JobContext, payload: Mapping[str, Any]) -> str:
    raise RuntimeError("secret report text that must not be shown")
