"""Shared machinery for the fake provider servers.

`FakeProviderServer` is a threaded HTTP/1.1 server (stdlib only) bound to 127.0.0.1 on a free port. It implements, once
for every provider:

* recording: every API request (method, path, headers, parsed form/JSON, basic-auth user, receive time, the status
  the fake answered) and every message the fake accepted;
* fault injection: latency, "fail the next N requests with status S", "hang the next N requests" (the request is
  recorded as received, then the fake sleeps past the client's timeout and drops the connection, or answers late),
  "ambiguous outcomes" (every Nth message-creating request is accepted, then answered 500 / 502 / 504 or its
  connection dropped: the client cannot tell whether the message went), and per-request hooks;
* per-recipient rules (what each provider does with an invalid / opted-out / inactive recipient);
* a control API under /_fake/ (config, messages, requests, stats, counts, reset) for a fake running as its own
  process;
* `run_cli`, used by `python -m tests.fakes.<provider> --port 0 --latency 0.08`, which prints the URL as the first
  stdout line.

Subclasses implement `handle_api` (the provider's endpoints and wire format) and `injected_failure` (the provider's
error body for an injected status).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from email import policy as email_policy
from email.parser import BytesParser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

CONTROL_PREFIX = "/_fake/"
DEFAULT_HANG_SECONDS = 30.0
MAX_BODY_BYTES = 64 * 1024 * 1024


class DropConnection(Exception):  # noqa: N818 - it is a control-flow signal, not an error
    """Raise from a hook to close the connection without sending any response."""


@dataclass
class FakeResponse:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, status: int, payload: Any, headers: dict[str, str] | None = None) -> FakeResponse:
        merged = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        return cls(status, json.dumps(payload).encode("utf-8"), merged)

    @classmethod
    def from_text(cls, status: int, text: str, headers: dict[str, str] | None = None) -> FakeResponse:
        merged = {"Content-Type": "text/plain; charset=utf-8", **(headers or {})}
        return cls(status, text.encode("utf-8"), merged)


@dataclass
class UploadedFile:
    field: str
    filename: str | None
    content_type: str
    content: bytes

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "filename": self.filename,
            "content_type": self.content_type,
            "size": len(self.content),
        }


@dataclass
class RecordedRequest:
    """One request the fake received (control-API requests are not recorded)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    received_at: float  # time.time() when the request line and body had been read
    received_monotonic: float
    client: str
    auth_user: str | None = None
    auth_password: str | None = None
    form: dict[str, list[str]] = field(default_factory=dict)
    files: list[UploadedFile] = field(default_factory=list)
    json: Any = None
    json_error: str | None = None
    index: int = -1
    outcome: str = "pending"  # accepted / rejected / auth_failed / not_found / injected / hung / hook / error ...
    status: int | None = None  # the status the fake answered; None while in flight or when it dropped the connection
    completed_at: float | None = None

    def header(self, name: str, default: str | None = None) -> str | None:
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return default

    def value(self, name: str, default: str | None = None) -> str | None:
        """First value of a form field."""
        values = self.form.get(name)
        return values[0] if values else default

    def values(self, name: str) -> list[str]:
        return list(self.form.get(name, []))

    def flat_form(self) -> dict[str, str | list[str]]:
        """The form with single-valued fields as plain strings."""
        return {key: values[0] if len(values) == 1 else list(values) for key, values in self.form.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": {k: v for k, v in self.headers.items() if k.lower() not in ("authorization",)},
            "auth_user": self.auth_user,
            "form": self.flat_form(),
            "files": [f.to_dict() for f in self.files],
            "json": self.json,
            "received_at": self.received_at,
            "completed_at": self.completed_at,
            "outcome": self.outcome,
            "status": self.status,
        }


@dataclass
class FakeMessage:
    """One message the fake accepted."""

    id: str
    to: str  # the To value as the client sent it
    recipients: list[str]  # normalized recipient addresses / numbers
    received_at: float  # when the request carrying it arrived (time.time())
    accepted_at: float
    endpoint: str
    fields: dict[str, Any]  # what the client sent for this message (form fields or the JSON object)
    response: dict[str, Any]  # what the fake answered for this message
    status: str
    request_index: int
    extra: dict[str, Any] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)  # status history: {"status", "at", ...}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class InjectedFailure:
    status: int
    retry_after: float | None = None


@dataclass(frozen=True)
class InjectedHang:
    seconds: float
    accept: bool = False  # True: process (and record) the message first, then answer only after the hang


AMBIGUOUS_OUTCOMES = (500, 502, 504, "drop")


@dataclass
class AmbiguousFaults:
    """Every `every`th message-creating request is processed (its messages accepted and recorded) and then answered
    with the next of `outcomes` in turn: a status (500 in the provider's error format; 502 / 504 as the gateway in
    front of it would send them) or "drop" (the connection is closed without an answer)."""

    every: int
    outcomes: tuple = AMBIGUOUS_OUTCOMES
    seen: int = 0
    injected: int = 0

    def __post_init__(self):
        if int(self.every) < 1:
            raise ValueError("ambiguous.every must be >= 1")
        self.every = int(self.every)
        outcomes = tuple(self.outcomes)
        for outcome in outcomes:
            if outcome != "drop" and not (isinstance(outcome, int) and 500 <= outcome <= 599):
                raise ValueError(f"ambiguous outcomes are 5xx statuses or 'drop', not {outcome!r}")
        if not outcomes:
            raise ValueError("ambiguous.outcomes must not be empty")
        self.outcomes = outcomes

    def next_outcome(self):
        """The outcome for the next creating request, or None to answer it normally (call with the fake's lock)."""
        self.seen += 1
        if self.seen % self.every:
            return None
        outcome = self.outcomes[self.injected % len(self.outcomes)]
        self.injected += 1
        return outcome

    def to_dict(self):
        return {"every": self.every, "outcomes": list(self.outcomes), "seen": self.seen, "injected": self.injected}


Hook = Callable[[RecordedRequest], "FakeResponse | None"]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address, handler, fake: FakeProviderServer):
        self.fake = fake
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Close kept-alive client connections, so a stopped fake really refuses further requests."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return  # the client went away (e.g. it timed out during a hang); not the fake's problem
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeProvider/1.0"
    sys_version = ""
    timeout = 120  # idle keep-alive connections are closed after this
    # TCP_NODELAY: headers and body go out as separate writes; with Nagle + the client's delayed ACK each response
    # would otherwise stall ~40 ms, which would swamp any latency a benchmark configures.
    disable_nagle_algorithm = True

    def _dispatch(self) -> None:
        self.server.fake._handle_http(self)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch

    def log_message(self, format, *args):  # noqa: A002 - signature of the overridden method
        if self.server.fake.verbose:
            super().log_message(format, *args)


def _read_chunked(rfile) -> bytes:
    chunks = []
    total = 0
    while True:
        line = rfile.readline(65537)
        size = int(line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(chunks)
        total += size
        if total > MAX_BODY_BYTES:
            raise ValueError("request body too large")
        chunks.append(rfile.read(size))
        rfile.readline(65537)


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, list[str]], list[UploadedFile]]:
    """Parse a multipart/form-data body into text fields and files (stdlib `email` parser; `cgi` is deprecated)."""
    message = BytesParser(policy=email_policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n" + body
    )
    form: dict[str, list[str]] = {}
    files: list[UploadedFile] = []
    if not message.is_multipart():
        return form, files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name is None:
            continue
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        if filename is not None:
            files.append(UploadedFile(name, filename, part.get_content_type(), payload))
        else:
            charset = part.get_content_charset() or "utf-8"
            form.setdefault(name, []).append(payload.decode(charset, errors="replace"))
    return form, files


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now (for "connection refused" tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@contextmanager
def unaccepting_port(host: str = "127.0.0.1"):
    """A port whose listener never accepts and whose queue is full, so a new connection attempt hangs until the
    client's connect timeout (Linux drops the SYN of a connection its full accept queue cannot take)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    fillers = []
    try:
        listener.bind((host, 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        for _ in range(3):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            filler.connect_ex((host, port))
            fillers.append(filler)
        time.sleep(0.05)
        yield port
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


class FakeProviderServer:
    """Base class of the fakes. Use as a context manager or call `start()` / `stop()`."""

    provider = "fake"
    rule_names: frozenset[str] = frozenset()

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        hang_seconds: float = DEFAULT_HANG_SECONDS,
        verbose: bool = False,
    ):
        self.host = host
        self._requested_port = port
        self._default_latency = float(latency)
        self._default_hang_seconds = float(hang_seconds)
        self.verbose = verbose
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._init_state()

    # -- lifecycle -------------------------------------------------------------------------------------------------

    def _init_state(self) -> None:
        self._requests: list[RecordedRequest] = []
        self._messages: list[FakeMessage] = []
        self._latency = self._default_latency
        self.hang_seconds = self._default_hang_seconds
        self._failures: deque[InjectedFailure] = deque()
        self._hangs: deque[InjectedHang] = deque()
        self._hooks: list[Hook] = []
        self._ambiguous: AmbiguousFaults | None = None
        self._rules: dict[str, Any] = dict(self.default_rules())
        # Set on reset()/stop() to wake requests sleeping in latency or a hang.
        self._interrupt = threading.Event()

    def start(self) -> FakeProviderServer:
        if self._server is not None:
            return self
        if self._interrupt.is_set():
            self._interrupt = threading.Event()
        self._server = _Server((self.host, self._requested_port), _Handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"fake-{self.provider}-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._interrupt.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.on_stop()

    def on_stop(self) -> None:
        """Subclass hook (e.g. stop background workers)."""

    def __enter__(self) -> FakeProviderServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError(f"fake {self.provider} server is not running")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def reset(self) -> None:
        """Forget requests and messages; back to constructor defaults (latency, rules, no pending faults or hooks)."""
        with self._lock:
            self._interrupt.set()  # release anything still hanging from before
            self._init_state()
            self.on_reset()
            self._changed.notify_all()

    def on_reset(self) -> None:
        """Subclass hook, called with the lock held."""

    # -- records ---------------------------------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def messages(self) -> list[FakeMessage]:
        with self._lock:
            return list(self._messages)

    @property
    def last_request(self) -> RecordedRequest | None:
        with self._lock:
            return self._requests[-1] if self._requests else None

    def message(self, message_id: str) -> FakeMessage | None:
        with self._lock:
            for message in self._messages:
                if message.id == message_id:
                    return message
        return None

    def backdate(self, seconds: float) -> None:
        """Make everything accepted so far look `seconds` older (for tests of time windows)."""
        with self._lock:
            for message in self._messages:
                message.received_at -= seconds
                message.accepted_at -= seconds
                for event in message.events:
                    event["at"] -= seconds
            self.on_backdate(seconds)

    def on_backdate(self, seconds: float) -> None:
        """Subclass hook, called with the lock held: shift the provider's own timestamps."""

    def _record_message(self, message: FakeMessage) -> None:
        with self._lock:
            self._messages.append(message)
            self._changed.notify_all()

    def _notify(self) -> None:
        with self._lock:
            self._changed.notify_all()

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"fake {self.provider}: timed out after {timeout}s waiting for {what}")
                self._changed.wait(remaining)

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> list[RecordedRequest]:
        self.wait_for(lambda: len(self._requests) >= count, timeout, f"{count} request(s)")
        return self.requests

    def wait_for_messages(self, count: int, timeout: float = 5.0) -> list[FakeMessage]:
        self.wait_for(lambda: len(self._messages) >= count, timeout, f"{count} message(s)")
        return self.messages

    # -- fault injection -------------------------------------------------------------------------------------------

    @property
    def latency(self) -> float:
        return self._latency

    def set_latency(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("latency must be >= 0")
        with self._lock:
            self._latency = float(seconds)

    def fail_next(self, count: int = 1, status: int = 500, *, retry_after: float | None = None) -> None:
        """Answer the next `count` API requests with `status` and the provider's error body for it."""
        if count < 0 or not 400 <= status <= 599:
            raise ValueError("fail_next needs count >= 0 and a 4xx/5xx status")
        with self._lock:
            self._failures.extend(InjectedFailure(int(status), retry_after) for _ in range(count))

    def hang_next(self, count: int = 1, *, seconds: float | None = None, accept: bool = False) -> None:
        """Hang the next `count` API requests: each is recorded as received, then the fake sleeps `seconds` (default
        `hang_seconds`, longer than any sane client timeout). With accept=False the connection is then dropped and no
        message is accepted; with accept=True the message is accepted (recorded) first and the normal answer is sent
        after the hang, modelling "the provider sent it but the client never saw the response"."""
        if count < 0:
            raise ValueError("count must be >= 0")
        with self._lock:
            hang_for = self.hang_seconds if seconds is None else float(seconds)
            self._hangs.extend(InjectedHang(hang_for, accept) for _ in range(count))

    def set_ambiguous(self, every: int | None, outcomes: Iterable[int | str] = AMBIGUOUS_OUTCOMES) -> None:
        """Accept every `every`th message-creating request, then answer it with an error or drop its connection
        (the outcomes in turn); None turns it off. Look-ups and other reads are never affected."""
        with self._lock:
            self._ambiguous = None if every is None else AmbiguousFaults(every, tuple(outcomes))

    @property
    def ambiguous(self) -> dict[str, Any] | None:
        with self._lock:
            return self._ambiguous.to_dict() if self._ambiguous else None

    def add_hook(self, hook: Hook) -> None:
        """`hook(request)` runs for each API request (after latency, unless a failure/hang was injected for it). Return
        a FakeResponse to answer with it, None to carry on, or raise DropConnection to close without an answer."""
        with self._lock:
            self._hooks.append(hook)

    def clear_hooks(self) -> None:
        with self._lock:
            self._hooks.clear()

    @property
    def pending_failures(self) -> int:
        with self._lock:
            return len(self._failures)

    @property
    def pending_hangs(self) -> int:
        with self._lock:
            return len(self._hangs)

    # -- recipient rules -------------------------------------------------------------------------------------------

    def default_rules(self) -> dict[str, Any]:
        return {}

    def normalize_recipient(self, recipient: str) -> str:
        return recipient.strip()

    def validate_rule(self, rule: Any) -> Any:
        if rule not in self.rule_names:
            raise ValueError(f"unknown {self.provider} rule {rule!r}; known: {sorted(self.rule_names)}")
        return rule

    def set_rule(self, recipient: str, rule: Any) -> None:
        rule = self.validate_rule(rule)
        with self._lock:
            self._rules[self.normalize_recipient(recipient)] = rule

    def set_rules(self, rules: dict[str, Any]) -> None:
        for recipient, rule in rules.items():
            self.set_rule(recipient, rule)

    def clear_rule(self, recipient: str) -> None:
        with self._lock:
            self._rules.pop(self.normalize_recipient(recipient), None)

    def clear_rules(self) -> None:
        """Remove every rule, including the defaults (reset() restores the defaults)."""
        with self._lock:
            self._rules.clear()

    def rule_for(self, recipient: str) -> Any:
        with self._lock:
            return self._rules.get(self.normalize_recipient(recipient))

    @property
    def rules(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._rules)

    # -- configuration (also the body of POST /_fake/config) -------------------------------------------------------

    def configure(self, config: dict[str, Any]) -> dict[str, Any]:
        """Apply a config dict: latency, hang_seconds, fail_next {count,status,retry_after} (or a list of them),
        hang_next {count,seconds,accept}, rules {recipient: rule}, clear_rules, plus provider-specific keys."""
        for key, value in config.items():
            if key == "latency":
                self.set_latency(float(value))
            elif key == "hang_seconds":
                with self._lock:
                    self.hang_seconds = float(value)
            elif key == "fail_next":
                for spec in value if isinstance(value, list) else [value]:
                    self.fail_next(
                        int(spec.get("count", 1)), int(spec.get("status", 500)), retry_after=spec.get("retry_after")
                    )
            elif key == "hang_next":
                self.hang_next(
                    int(value.get("count", 1)), seconds=value.get("seconds"), accept=bool(value.get("accept"))
                )
            elif key == "ambiguous":
                if value is None:
                    self.set_ambiguous(None)
                else:
                    self.set_ambiguous(int(value["every"]), value.get("outcomes", AMBIGUOUS_OUTCOMES))
            elif key == "clear_rules":
                if value:
                    self.clear_rules()
            elif key == "rules":
                self.set_rules(value)
            elif not self.configure_extra(key, value):
                raise ValueError(f"unknown config key {key!r}")
        return self.config_snapshot()

    def configure_extra(self, key: str, value: Any) -> bool:
        """Subclass hook for provider-specific config keys; return True if handled."""
        return False

    def config_snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "latency": self._latency,
                "hang_seconds": self.hang_seconds,
                "pending_failures": [asdict(f) for f in self._failures],
                "pending_hangs": [asdict(h) for h in self._hangs],
                "hooks": len(self._hooks),
                "ambiguous": self._ambiguous.to_dict() if self._ambiguous else None,
                "rules": dict(self._rules),
                **self.extra_config(),
            }

    def extra_config(self) -> dict[str, Any]:
        return {}

    def counts(self) -> dict[str, int]:
        """The few numbers a benchmark polls while it waits (stats() carries every timestamp)."""
        with self._lock:
            return {
                "requests": len(self._requests),
                "messages": len(self._messages),
                "recipients": len({r for m in self._messages for r in m.recipients}),
                "in_flight": sum(1 for r in self._requests if r.completed_at is None),
            }

    def stats(self) -> dict[str, Any]:
        with self._lock:
            requests = list(self._requests)
            messages = list(self._messages)
        statuses = Counter("none" if r.status is None else str(r.status) for r in requests if r.completed_at)
        return {
            "provider": self.provider,
            "url": self.url if self.running else None,
            "requests": len(requests),
            "messages": len(messages),
            "in_flight": sum(1 for r in requests if r.completed_at is None),
            "responses_by_status": dict(statuses),
            "outcomes": dict(Counter(r.outcome for r in requests)),
            "first_request_at": requests[0].received_at if requests else None,
            "last_request_at": requests[-1].received_at if requests else None,
            "request_received_at": [r.received_at for r in requests],
            "message_received_at": [m.received_at for m in messages],
            "message_ids": [m.id for m in messages],
            "config": self.config_snapshot(),
        }

    # -- subclass API ----------------------------------------------------------------------------------------------

    def handle_api(self, request: RecordedRequest) -> FakeResponse:
        """Answer one API request in the provider's wire format; set request.outcome."""
        request.outcome = "not_found"
        return FakeResponse.from_text(404, "not found")

    def injected_failure(self, request: RecordedRequest, failure: InjectedFailure) -> FakeResponse:
        """The provider's answer for an injected failure status."""
        return FakeResponse.from_text(failure.status, HTTPStatus(failure.status).phrase)

    def creates_messages(self, request: RecordedRequest) -> bool:
        """Whether this request asks the provider to accept messages (what the ambiguous mode applies to)."""
        return False

    def ambiguous_answer(self, request: RecordedRequest, status: int) -> FakeResponse:
        """The answer after an accepted request for an ambiguous status: the provider's own 500; a 502 or 504 as the
        load balancer in front of it sends them (an HTML page, not the provider's JSON)."""
        if status in (502, 504):
            phrase = HTTPStatus(status).phrase
            page = f"<html><head><title>{status} {phrase}</title></head><body><h1>{status} {phrase}</h1></body></html>"
            return FakeResponse(status, page.encode(), {"Content-Type": "text/html"})
        return self.injected_failure(request, InjectedFailure(status))

    @staticmethod
    def retry_after_headers(failure: InjectedFailure) -> dict[str, str]:
        if failure.retry_after is None:
            return {}
        return {"Retry-After": f"{failure.retry_after:g}"}

    def control(self, method: str, route: str, body: Any) -> FakeResponse | None:
        """Subclass hook for provider-specific /_fake/ routes."""
        return None

    # -- request handling ------------------------------------------------------------------------------------------

    def _read_http_request(self, handler: _Handler) -> RecordedRequest:
        headers = dict(handler.headers.items())
        if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = _read_chunked(handler.rfile)
        else:
            length = int(handler.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                raise ValueError("request body too large")
            body = handler.rfile.read(length) if length else b""
        parts = urlsplit(handler.path)
        request = RecordedRequest(
            method=handler.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers=headers,
            body=body,
            received_at=time.time(),
            received_monotonic=time.monotonic(),
            client=f"{handler.client_address[0]}:{handler.client_address[1]}",
        )
        authorization = handler.headers.get("Authorization", "")
        if authorization[:6].lower() == "basic ":
            try:
                decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                pass
            else:
                request.auth_user, _, request.auth_password = decoded.partition(":")
        content_type = handler.headers.get("Content-Type", "")
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type == "application/x-www-form-urlencoded":
            request.form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        elif media_type == "multipart/form-data":
            request.form, request.files = parse_multipart(content_type, body)
        elif media_type.endswith("json") and body:
            try:
                request.json = json.loads(body)
            except ValueError as exc:
                request.json_error = str(exc)
        return request

    def _handle_http(self, handler: _Handler) -> None:
        try:
            request = self._read_http_request(handler)
        except (ValueError, OSError) as exc:
            handler.close_connection = True
            self._write_response(handler, FakeResponse.from_text(400, f"bad request: {exc}"))
            return

        if request.path.startswith(CONTROL_PREFIX):
            self._write_response(handler, self._handle_control(request))
            return

        with self._lock:
            request.index = len(self._requests)
            self._requests.append(request)
            latency = self._latency
            hang = self._hangs.popleft() if self._hangs else None
            failure = self._failures.popleft() if hang is None and self._failures else None
            hooks = list(self._hooks)
            interrupt = self._interrupt
            ambiguous = None
            if hang is None and failure is None and self._ambiguous is not None and self.creates_messages(request):
                ambiguous = self._ambiguous.next_outcome()
            self._changed.notify_all()

        if latency > 0:
            interrupt.wait(latency)
        try:
            if hang is not None:
                request.outcome = "hung"
                late_response = None
                if hang.accept:
                    late_response = self._process_api(request)
                    request.outcome = f"hung:{request.outcome}"
                interrupt.wait(hang.seconds)
                if late_response is None:
                    raise DropConnection
                response = late_response
            elif failure is not None:
                request.outcome = "injected"
                response = self.injected_failure(request, failure)
            elif ambiguous is not None:
                self._process_api(request)  # the messages are accepted and recorded; the client never learns it
                request.outcome = f"ambiguous:{request.outcome}:{ambiguous}"
                if ambiguous == "drop":
                    raise DropConnection
                response = self.ambiguous_answer(request, ambiguous)
            else:
                response = None
                for hook in hooks:
                    response = hook(request)
                    if response is not None:
                        request.outcome = "hook"
                        break
                if response is None:
                    response = self._process_api(request)
        except DropConnection:
            if request.outcome == "pending":
                request.outcome = "dropped"
            handler.close_connection = True
            request.completed_at = time.time()
            self._notify()
            return
        except Exception:  # noqa: BLE001 - a bug in a fake or a hook must answer 500, not kill the connection thread
            traceback.print_exc(file=sys.stderr)
            request.outcome = "error"
            response = FakeResponse.from_text(500, "fake server error")
        request.status = response.status
        self._write_response(handler, response)
        request.completed_at = time.time()
        self._notify()

    def _process_api(self, request: RecordedRequest) -> FakeResponse:
        response = self.handle_api(request)
        if request.outcome == "pending":
            request.outcome = "ok" if response.status < 400 else "error_response"
        return response

    def _write_response(self, handler: _Handler, response: FakeResponse) -> None:
        try:
            handler.send_response(response.status)
            for name, value in response.headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(response.body)))
            if handler.close_connection:
                handler.send_header("Connection", "close")
            handler.end_headers()
            if handler.command != "HEAD" and response.body:
                handler.wfile.write(response.body)
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError, OSError):
            handler.close_connection = True  # the client gave up (typically: it timed out during a hang)

    def _handle_control(self, request: RecordedRequest) -> FakeResponse:
        route = request.path[len(CONTROL_PREFIX) :].strip("/")
        method = request.method
        try:
            body = json.loads(request.body) if request.body else {}
        except ValueError:
            return FakeResponse.from_json(400, {"error": "control API bodies are JSON"})
        try:
            if method == "GET" and route == "stats":
                return FakeResponse.from_json(200, self.stats())
            if method == "GET" and route == "counts":
                return FakeResponse.from_json(200, self.counts())
            if method == "GET" and route == "messages":
                messages = self.messages
                return FakeResponse.from_json(
                    200, {"count": len(messages), "messages": [m.to_dict() for m in messages]}
                )
            if method == "GET" and route == "requests":
                requests = self.requests
                return FakeResponse.from_json(
                    200, {"count": len(requests), "requests": [r.to_dict() for r in requests]}
                )
            if route == "config" and method == "GET":
                return FakeResponse.from_json(200, self.config_snapshot())
            if route == "config" and method == "POST":
                if not isinstance(body, dict):
                    raise ValueError("config must be a JSON object")
                return FakeResponse.from_json(200, self.configure(body))
            if route == "reset" and method == "POST":
                self.reset()
                return FakeResponse.from_json(200, {"ok": True})
            extra = self.control(method, route, body)
            if extra is not None:
                return extra
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            return FakeResponse.from_json(400, {"error": str(exc)})
        return FakeResponse.from_json(404, {"error": f"no control route {method} {request.path}"})

    # -- command line ----------------------------------------------------------------------------------------------

    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        """Subclass hook: provider-specific options (credentials...)."""

    @classmethod
    def cli_kwargs(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {}


class RecordingSink(FakeProviderServer):
    """Records every request and answers `status` (default 200, empty body): a receiver for status callbacks and
    other webhooks in tests. Fault injection works on it too."""

    provider = "sink"

    def __init__(self, *, status: int = 200, **kwargs):
        super().__init__(**kwargs)
        self.response_status = status

    def handle_api(self, request: RecordedRequest) -> FakeResponse:
        request.outcome = "received"
        return FakeResponse(self.response_status, b"", {"Content-Type": "text/plain"})


@contextmanager
def fake_process(provider: str, *args: str, cwd: str | None = None, startup_timeout: float = 15.0):
    """Run `python -m tests.fakes.<provider> --port 0 ARGS...` as its own process; yields (process, url).

    For benchmarks and chaos tests (a separate process does not compete with the client for the GIL). Stopped with
    SIGTERM (then SIGKILL) when the block ends."""
    root = cwd or str(Path(__file__).resolve().parents[2])
    process = subprocess.Popen(
        [sys.executable, "-m", f"tests.fakes.{provider}", "--port", "0", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=None,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], startup_timeout)
        line = process.stdout.readline().strip() if ready else ""
        if not line.startswith("http://"):
            raise RuntimeError(f"fake {provider} process did not print its URL (got {line!r})")
        yield process, line
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        if process.stdout is not None:
            process.stdout.close()


def run_cli(server_cls: type[FakeProviderServer], argv: Iterable[str] | None = None) -> int:
    """Run a fake as its own process: print its URL as the first stdout line, serve until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(
        prog=f"python -m tests.fakes.{server_cls.provider}",
        description=f"Local fake {server_cls.provider} API server. Control API: GET /_fake/stats, GET /_fake/counts, "
        "GET /_fake/messages, GET /_fake/requests, GET|POST /_fake/config, POST /_fake/reset.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added before every API answer")
    parser.add_argument("--hang-seconds", type=float, default=DEFAULT_HANG_SECONDS)
    parser.add_argument("--verbose", action="store_true", help="log each request line to stderr")
    server_cls.add_cli_arguments(parser)
    args = parser.parse_args(None if argv is None else list(argv))

    fake = server_cls(
        host=args.host,
        port=args.port,
        latency=args.latency,
        hang_seconds=args.hang_seconds,
        verbose=args.verbose,
        **server_cls.cli_kwargs(args),
    )
    stop = threading.Event()

    def _on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    fake.start()
    sys.stdout.write(fake.url + "\n")
    sys.stdout.flush()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        fake.stop()
    return 0
