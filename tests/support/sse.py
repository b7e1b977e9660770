"""A real Server-Sent Events client over httpx, read in a background thread."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class SSEMessage:
    type: str
    data: str
    id: str | None

    def json(self) -> Any:
        return json.loads(self.data)


class SSEReader:
    """Open ``path`` on ``client`` and queue every message it streams."""

    def __init__(
        self, client: httpx.Client, path: str, headers: dict[str, str] | None = None
    ) -> None:
        self._client = client
        self._path = path
        self._headers = headers or {}
        self._messages: queue.Queue[SSEMessage] = queue.Queue()
        self._opened = threading.Event()
        self._closed = threading.Event()
        self._response: httpx.Response | None = None
        self.status_code: int | None = None
        self._thread = threading.Thread(target=self._read, daemon=True)

    def __enter__(self) -> SSEReader:
        self._thread.start()
        if not self._opened.wait(timeout=15):
            raise AssertionError(f"The stream {self._path} did not answer.")
        return self

    def __exit__(self, *exc: object) -> None:
        self._closed.set()
        if self._response is not None:
            self._response.close()
        self._thread.join(timeout=5)

    def _read(self) -> None:
        timeout = httpx.Timeout(10, read=None)
        try:
            with self._client.stream(
                "GET", self._path, headers=self._headers, timeout=timeout
            ) as response:
                self._response = response
                self.status_code = response.status_code
                self._opened.set()
                self._parse(response)
        except (httpx.HTTPError, RuntimeError):
            if not self._closed.is_set():
                raise
        finally:
            self._opened.set()

    def _parse(self, response: httpx.Response) -> None:
        fields: dict[str, list[str]] = {}
        for line in response.iter_lines():
            if line == "":
                if "data" in fields:
                    self._messages.put(
                        SSEMessage(
                            type=fields.get("event", ["message"])[-1],
                            data="\n".join(fields["data"]),
                            id=fields.get("id", [None])[-1],
                        )
                    )
                fields = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(":")
                fields.setdefault(name, []).append(value.removeprefix(" "))

    def wait_for(
        self, matches: Callable[[SSEMessage], bool], timeout: float = 10
    ) -> SSEMessage:
        """Return the first message that ``matches``; skip the others."""
        seen: list[str] = []
        try:
            while True:
                message = self._messages.get(timeout=timeout)
                if matches(message):
                    return message
                seen.append(f"{message.type}: {message.data[:80]}")
        except queue.Empty:
            raise AssertionError(
                f"No matching message in {timeout}s; saw {seen}"
            ) from None

    def next_event(self, timeout: float = 10) -> SSEMessage:
        """Return the next dash message, skipping stream bookkeeping."""
        return self.wait_for(lambda message: message.type == "message", timeout)
