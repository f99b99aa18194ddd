"""Run long-running parts side by side, and stop them all together.

``python build.py serve`` starts the hub's preview first; the members
portal and Datasette can be added beside it as more services. Each
service says where to find it when it starts, and Ctrl-C (or SIGTERM)
stops every one of them, the last started first.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import subprocess
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from portal.errors import TownsquareError

log = logging.getLogger(__name__)

Echo = Callable[[str], None]

# How long a service may take to stop before it is stopped harder.
STOP_TIMEOUT = 10.0


class ServiceError(TownsquareError):
    """A service could not start, or stopped on its own."""


class Service(ABC):
    """One long-running part: a server, a watcher, a subprocess."""

    def __init__(self, name: str) -> None:
        self.name = name

    @abstractmethod
    def start(self) -> str:
        """Start the service and return where to find it, usually its address."""

    @abstractmethod
    def stop(self) -> None:
        """Stop the service and wait until it has stopped."""

    @abstractmethod
    def failure(self) -> str | None:
        """Return why the service stopped on its own, or None while it runs."""


class ThreadService(Service):
    """Run ``target(stop_event)`` in a thread until the event is set."""

    def __init__(
        self, name: str, target: Callable[[threading.Event], None], where: str
    ) -> None:
        super().__init__(name)
        self._target = target
        self._where = where
        self._stopping = threading.Event()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        """Start the thread and return the description given at creation."""
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()
        return self._where

    def stop(self) -> None:
        """Ask the target to return and wait for it."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT)

    def failure(self) -> str | None:
        """Return why the thread ended though nobody asked it to."""
        if self._thread is None or self._thread.is_alive() or self._stopping.is_set():
            return None
        if self._error is not None:
            return f"{self.name} stopped: {self._error}"
        return f"{self.name} stopped on its own"

    def _run(self) -> None:
        try:
            self._target(self._stopping)
        except Exception as e:
            log.exception("%s failed", self.name)
            self._error = e


class _RequestHandler(WSGIRequestHandler):
    """Log requests through Townsquare's loggers instead of straight to stderr."""

    def log(self, type: str, message: str, *args: Any) -> None:
        level = logging.WARNING if type == "error" else logging.DEBUG
        log.log(level, "%s %s", self.address_string(), message % args)


class WSGIService(Service):
    """Serve a WSGI application from a threaded server running in a thread.

    Each request gets its own thread, so long-lived responses such as
    event streams never hold up page requests.
    """

    def __init__(
        self,
        name: str,
        app: Any,
        host: str = "127.0.0.1",
        port: int = 8000,
        *,
        before_stop: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(name)
        self.app = app
        self.host = host
        self.port = port
        self._before_stop = before_stop
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False

    def start(self) -> str:
        """Listen on the host and port and return the address to open."""
        # Binding here, not in werkzeug, turns a busy port into this
        # project's error instead of werkzeug's own message and exit.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        try:
            listener = socket.create_server((self.host, self.port), family=family)
        except OSError as e:
            raise ServiceError(
                f"{self.name} cannot listen on {self.host}:{self.port}: {e.strerror or e}; "
                "stop what uses that port or choose another one with --port"
            ) from None
        with listener:
            self._server = make_server(
                self.host,
                self.port,
                self.app,
                threaded=True,
                request_handler=_RequestHandler,
                fd=listener.fileno(),
            )

        self._thread = threading.Thread(
            target=self._server.serve_forever, name=self.name, daemon=True
        )
        self._thread.start()
        return self.address

    @property
    def address(self) -> str:
        """Return the address browsers open, with the port actually bound."""
        port = self._server.port if self._server else self.port
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{port}/"

    def stop(self) -> None:
        """Close open streams, stop accepting requests and free the port."""
        self._stopping = True
        if self._before_stop is not None:
            self._before_stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT)

    def failure(self) -> str | None:
        """Return why the server stopped though nobody asked it to."""
        if self._thread is None or self._thread.is_alive() or self._stopping:
            return None
        return f"{self.name} stopped serving"


class ProcessService(Service):
    """Run a command as a subprocess in its own session.

    Its own session keeps the terminal's Ctrl-C from reaching it directly,
    so it is stopped once, in order, by the supervisor: SIGINT first,
    then SIGTERM, then SIGKILL, each after a wait.
    """

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        where: str,
        *,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(name)
        self.argv = list(argv)
        self._where = where
        self._cwd = cwd
        self._env = dict(env) if env is not None else None
        self._process: subprocess.Popen[bytes] | None = None
        self._stopping = False

    def start(self) -> str:
        """Start the command and return the description given at creation."""
        try:
            self._process = subprocess.Popen(
                self.argv, cwd=self._cwd, env=self._env, start_new_session=True
            )
        except OSError as e:
            raise ServiceError(
                f"{self.name} cannot start {self.argv[0]!r}: {e}"
            ) from None
        return self._where

    @property
    def pid(self) -> int | None:
        """Return the process id, or None before the service starts."""
        return self._process.pid if self._process else None

    def stop(self) -> None:
        """Interrupt the process, then terminate or kill it if it lingers."""
        self._stopping = True
        process = self._process
        if process is None or process.poll() is not None:
            return
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(sig)
            try:
                process.wait(STOP_TIMEOUT)
                return
            except subprocess.TimeoutExpired:
                log.warning(
                    "%s did not stop after %s; stopping it harder", self.name, sig.name
                )
        process.kill()
        process.wait()

    def failure(self) -> str | None:
        """Return the exit code of a process that ended though nobody asked it to."""
        if self._process is None or self._stopping:
            return None
        code = self._process.poll()
        if code is None:
            return None
        return f"{self.name} stopped on its own with exit code {code}"


class Supervisor:
    """Start named services in order, say where each is, and stop all together."""

    def __init__(self, echo: Echo) -> None:
        self._echo = echo
        self._services: list[Service] = []
        self._started: list[Service] = []

    def add(self, service: Service) -> None:
        """Register ``service`` to start after those already added."""
        if any(s.name == service.name for s in self._services):
            raise ValueError(f"a service named {service.name!r} is already registered")
        self._services.append(service)

    @property
    def services(self) -> tuple[Service, ...]:
        """Return the registered services in the order they start."""
        return tuple(self._services)

    def start_all(self) -> None:
        """Start every service; if one fails, stop those already running."""
        width = max((len(s.name) for s in self._services), default=0)
        try:
            for service in self._services:
                where = service.start()
                self._started.append(service)
                self._echo(f"  {service.name:<{width}}  {where}")
        except BaseException:
            self.stop_all()
            raise

    def stop_all(self) -> None:
        """Stop the running services, the last started first."""
        while self._started:
            service = self._started.pop()
            try:
                service.stop()
            except Exception:
                # One service failing to stop must not keep the others running.
                log.exception("%s did not stop cleanly", service.name)

    def run(self, poll: float = 0.5) -> None:
        """Start every service and wait for Ctrl-C, then stop them all.

        Raise :class:`ServiceError` when a service stops on its own; the
        others are stopped first.
        """
        failure = None
        with _sigterm_interrupts():
            try:
                self.start_all()
                self._echo("Ctrl-C stops everything.")
                failure = self._wait(poll)
            except KeyboardInterrupt:
                pass
            finally:
                with _interrupts_ignored():
                    self.stop_all()
        if failure is not None:
            raise ServiceError(failure)

    def _wait(self, poll: float) -> str | None:
        while True:
            time.sleep(poll)
            for service in self._started:
                failure = service.failure()
                if failure is not None:
                    return failure


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so that both stop everything cleanly."""
    if not _in_main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """Let stopping finish when Ctrl-C is pressed again impatiently."""
    if not _in_main_thread():
        yield
        return

    previous = {
        sig: signal.signal(sig, signal.SIG_IGN)
        for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


__all__ = [
    "ProcessService",
    "Service",
    "ServiceError",
    "Supervisor",
    "ThreadService",
    "WSGIService",
]
