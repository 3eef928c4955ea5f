"""Serves a Service as the LC handler contract (checkwire.lc.v1.LcHandlerService) over gRPC.

``serve(service, interface, port, options)`` takes ServeCherryPy's arguments and, like it, blocks
until SIGINT/SIGTERM, then calls ``onShutdown()``. The gateway in front checks LimaCharlie's
signatures, answers ``health`` and ``get_resource`` from Describe and validates request
parameters, so an lcservice service runs behind it with only its imports changed.
"""

from __future__ import annotations

import hmac
import os
import signal
import threading
import time
import traceback
import uuid
from concurrent import futures
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional

import grpc
from google.protobuf import timestamp_pb2

from ._gen.lc.v1 import handler_service_pb2 as lc_pb2
from ._gen.lc.v1 import handler_service_pb2_grpc as lc_grpc
from .callbacks import CALLBACKS
from .convert import callback_result, reply_from_request, request_from_callback, request_parameter
from .interactive import InteractiveService
from .service import CallbackNotImplemented, Service
from .tasks import TaskList

#: The port handlers listen on by default (as apps/lc-example).
DEFAULT_PORT = 50061

#: Callbacks served at once by default.
DEFAULT_MAX_WORKERS = 32

#: The largest call or answer by default: above the gateway's 50 MB body cap (gRPC's own
#: default, 4 MiB, would refuse large callbacks the gateway accepted).
DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024


def describe(service: Service) -> lc_pb2.DescribeResponse:
    """What the service declares, read now (declarations may change after startup). Each
    declaration is copied before it is read: a scheduled thread may publish meanwhile."""
    started = timestamp_pb2.Timestamp(seconds=service._startedAt)
    parameters = dict(service._requestParameters)
    resources = list(service._resources.items())
    interactive = isinstance(service, InteractiveService)
    return lc_pb2.DescribeResponse(
        start_time=started,
        callbacks=service._implemented(),
        detect_subscriptions=list(service._detectSubscribed),
        request_parameters={n: request_parameter(p) for n, p in parameters.items()},
        resources=[
            lc_pb2.Resource(name=name, category=category, content=content)
            for name, (category, content) in resources
        ],
        interactive=interactive,
        reply_callbacks=service._replyCallbacks(),
    )


class _Handler(lc_grpc.LcHandlerServiceServicer):
    def __init__(self, service: Service) -> None:
        self._service = service

    def Describe(self, request: lc_pb2.DescribeRequest, context: grpc.ServicerContext) -> lc_pb2.DescribeResponse:
        return describe(self._service)

    def _answer(
        self, what: str, run: Callable[[TaskList], Dict[str, Any]], context: grpc.ServicerContext
    ) -> lc_pb2.CallbackResult:
        """``run``'s answer (``what``: the etype or reply callback, for errors) as a CallbackResult
        with the tasks it made; its exception is INTERNAL with an error id (logged here), and an
        unimplemented callback UNIMPLEMENTED."""
        service = self._service
        failure: Optional[str] = None
        tasks = TaskList(what)
        try:
            answer = run(tasks)
            return callback_result(answer, tasks.close())
        except CallbackNotImplemented:
            pass
        except Exception as e:  # noqa: BLE001 - the handler's exception: logged here, an id sent
            error_id = str(uuid.uuid4())
            service.logCritical(
                f"{what} failed: error {error_id}\n"
                + "".join(traceback.format_exception(type(e), e, e.__traceback__))
            )
            failure = f"{what} failed (error id {error_id})"
        finally:
            tasks.close()
        if failure is not None:
            context.abort(grpc.StatusCode.INTERNAL, failure)
        context.abort(grpc.StatusCode.UNIMPLEMENTED, f"{service._serviceName} does not implement {what}")
        raise AssertionError("unreachable: context.abort raises")

    def _callback(self, etype: str, cb: lc_pb2.Callback, context: grpc.ServicerContext) -> lc_pb2.CallbackResult:
        def run(tasks: TaskList) -> Dict[str, Any]:
            request, oid, jwt = request_from_callback(etype, cb)
            return self._service._handle(request, oid, jwt, tasks)

        return self._answer(etype, run, context)

    def OnTaskReply(self, request: lc_pb2.OnTaskReplyRequest, context: grpc.ServicerContext) -> lc_pb2.OnTaskReplyResponse:
        def run(tasks: TaskList) -> Dict[str, Any]:
            reply, oid, jwt = reply_from_request(request)
            return self._service._handleReply(reply, oid, jwt, tasks)

        return lc_pb2.OnTaskReplyResponse(result=self._answer(f"reply callback {request.reply_callback}", run, context))


def _rpc(etype: str, response_type: Any) -> Callable[..., Any]:
    def call(self: _Handler, request: Any, context: grpc.ServicerContext) -> Any:
        return response_type(result=self._callback(etype, request.callback, context))

    return call


for _etype, (_rpc_name, _) in CALLBACKS.items():
    setattr(_Handler, _rpc_name, _rpc(_etype, getattr(lc_pb2, f"{_rpc_name}Response")))


class _TokenCheck(grpc.ServerInterceptor):  # type: ignore[misc]
    """Refuses every call without ``authorization: Bearer <token>`` (constant-time compare)."""

    def __init__(self, token: str) -> None:
        self._expected = f"Bearer {token}".encode("utf-8")

        def refuse(request: Any, context: grpc.ServicerContext) -> Any:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "missing or bad handler token")

        self._refusal = grpc.unary_unary_rpc_method_handler(refuse)

    def intercept_service(self, continuation: Any, details: Any) -> Any:
        given = dict(details.invocation_metadata).get("authorization", "")
        given_bytes = given.encode("utf-8") if isinstance(given, str) else bytes(given)
        if hmac.compare_digest(given_bytes, self._expected):
            return continuation(details)
        return self._refusal


@dataclass
class RunningHandler:
    """A started server: its address; wait() until it ends; stop() ends the calls under way
    (within ``grace`` seconds), stops the service's delay/schedule timers (waiting for the calls
    they are making), then calls its onShutdown()."""

    server: grpc.Server
    service: Service
    port: int
    address: str

    def stop(self, grace: Optional[float] = 5.0) -> None:
        self.server.stop(grace).wait()
        self.service._shutdown()

    def wait(self) -> None:
        self.server.wait_for_termination()


def _read(path: str, what: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise ValueError(f"{what}: cannot read {path}: {e.strerror}") from e


def _positive_int(opts: Mapping[str, Any], name: str, default: int) -> int:
    value = opts.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, not {value!r}")
    return value


def start(
    service: Service,
    interface: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    options: Optional[Mapping[str, Any]] = None,
) -> RunningHandler:
    """Starts serving and returns at once. ``options``: ``token`` (default $LC_HANDLER_TOKEN: the
    gateway's route must send it), ``tls_cert_file`` + ``tls_key_file`` (PEM; TLS towards the
    gateway), ``max_workers`` (concurrent callbacks, default 32), ``max_message_bytes`` (largest
    call or answer, default 64 MiB: the gateway passes on bodies of up to 50 MB). Port 0 picks
    a free one. The options are all checked before anything listens."""
    opts: Dict[str, Any] = dict(options or {})
    token = opts.get("token", os.environ.get("LC_HANDLER_TOKEN") or None)
    if token is not None and not str(token):
        raise ValueError("token is empty: give the handler's shared token, or none")
    cert, key = opts.get("tls_cert_file"), opts.get("tls_key_file")
    if (cert is None) != (key is None):
        raise ValueError("tls_cert_file and tls_key_file go together")
    pair = None if cert is None or key is None else (_read(key, "tls_key_file"), _read(cert, "tls_cert_file"))
    max_workers = _positive_int(opts, "max_workers", DEFAULT_MAX_WORKERS)
    max_bytes = _positive_int(opts, "max_message_bytes", DEFAULT_MAX_MESSAGE_BYTES)

    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers),
        interceptors=[] if token is None else [_TokenCheck(str(token))],
        options=[
            # gRPC turns SO_REUSEPORT on by default: a second handler on a port in use would start
            # and silently take half its calls. Off, it fails to start instead.
            ("grpc.so_reuseport", 0),
            # gRPC's default receive limit is 4 MiB; the gateway sends callbacks of up to 50 MB.
            ("grpc.max_receive_message_length", max_bytes),
            ("grpc.max_send_message_length", max_bytes),
        ],
    )
    add = lc_grpc.add_LcHandlerServiceServicer_to_server  # untyped: protoc's grpc plugin
    add(_Handler(service), server)  # type: ignore[no-untyped-call]
    where = f"[{interface}]:{port}" if ":" in interface else f"{interface}:{port}"
    try:
        if pair is not None:
            bound = server.add_secure_port(where, grpc.ssl_server_credentials([pair]))
        else:
            bound = server.add_insecure_port(where)
    except RuntimeError:  # newer grpcio raises where older ones return 0
        bound = 0
    if bound == 0:
        server.stop(None)  # releases its worker pool and completion queue
        raise OSError(f"cannot listen on {where} (in use, or not an address of this machine)")
    server.start()
    host = f"[{interface}]" if ":" in interface else interface
    return RunningHandler(server=server, service=service, port=bound, address=f"{host}:{bound}")


def serve(
    service: Service,
    interface: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    options: Optional[Mapping[str, Any]] = None,
) -> None:
    """ServeCherryPy's counterpart: serves until SIGINT or SIGTERM, then stops and calls
    ``onShutdown()``. Prints ``<name> listening on host:port`` once ready. Only the main thread
    can receive signals: elsewhere, use ``start()`` and the RunningHandler's ``wait()``/``stop()``.
    """
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError(
            "serve() waits for SIGINT/SIGTERM, which only the main thread receives: from another "
            "thread, use start() and the RunningHandler's wait() and stop()"
        )
    received: List[int] = []

    def on_signal(signum: int, frame: Any) -> None:
        # Only a plain append: a handler runs between two bytecodes of the main thread, which
        # may be holding a lock (threading.Event.set() could deadlock on it).
        received.append(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        running = start(service, interface, port, options)
        try:
            print(f"{service._serviceName} listening on {running.address}", flush=True)
            while not received:
                time.sleep(0.2)
        finally:
            running.stop()
    finally:
        for sig, handler in previous.items():
            # None: a handler installed outside Python, which cannot be put back; the default then.
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)
