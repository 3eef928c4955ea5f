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
import traceback
import uuid
from concurrent import futures
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional

import grpc
from google.protobuf import timestamp_pb2

from ._gen.lc.v1 import handler_service_pb2 as lc_pb2
from ._gen.lc.v1 import handler_service_pb2_grpc as lc_grpc
from .callbacks import CALLBACKS
from .convert import callback_result, request_from_callback, request_parameter
from .service import CallbackNotImplemented, Service

#: The port handlers listen on by default (as apps/lc-example).
DEFAULT_PORT = 50061


def describe(service: Service) -> lc_pb2.DescribeResponse:
    """What the service declares, read now (declarations may change after startup)."""
    started = timestamp_pb2.Timestamp(seconds=service._startedAt)
    return lc_pb2.DescribeResponse(
        start_time=started,
        callbacks=service._implemented(),
        detect_subscriptions=list(service._detectSubscribed),
        request_parameters={n: request_parameter(p) for n, p in service._requestParameters.items()},
        resources=[
            lc_pb2.Resource(name=name, category=category, content=content)
            for name, (category, content) in service._resources.items()
        ],
    )


class _Handler(lc_grpc.LcHandlerServiceServicer):
    def __init__(self, service: Service) -> None:
        self._service = service

    def Describe(self, request: lc_pb2.DescribeRequest, context: grpc.ServicerContext) -> lc_pb2.DescribeResponse:
        return describe(self._service)

    def _answer(self, etype: str, cb: lc_pb2.Callback, context: grpc.ServicerContext) -> lc_pb2.CallbackResult:
        service = self._service
        failure: Optional[str] = None
        try:
            request, oid, jwt = request_from_callback(etype, cb)
            return callback_result(service._handle(request, oid, jwt))
        except CallbackNotImplemented:
            pass
        except Exception as e:  # noqa: BLE001 - the handler's exception: logged here, an id sent
            error_id = str(uuid.uuid4())
            service.logCritical(
                f"{etype} failed: error {error_id}\n"
                + "".join(traceback.format_exception(type(e), e, e.__traceback__))
            )
            failure = f"{etype} failed (error id {error_id})"
        if failure is not None:
            context.abort(grpc.StatusCode.INTERNAL, failure)
        context.abort(grpc.StatusCode.UNIMPLEMENTED, f"{service._serviceName} does not implement {etype}")
        raise AssertionError("unreachable: context.abort raises")


def _rpc(etype: str, response_type: Any) -> Callable[..., Any]:
    def call(self: _Handler, request: Any, context: grpc.ServicerContext) -> Any:
        return response_type(result=self._answer(etype, request.callback, context))

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
    """A started server: its address, and stop() (which calls the service's onShutdown)."""

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


def start(
    service: Service,
    interface: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    options: Optional[Mapping[str, Any]] = None,
) -> RunningHandler:
    """Starts serving and returns at once. ``options``: ``token`` (default $LC_HANDLER_TOKEN: the
    gateway's route must send it), ``tls_cert_file`` + ``tls_key_file`` (PEM; TLS towards the
    gateway), ``max_workers`` (concurrent callbacks, default 32). Port 0 picks a free one."""
    opts: Dict[str, Any] = dict(options or {})
    token = opts.get("token", os.environ.get("LC_HANDLER_TOKEN") or None)
    if token is not None and not str(token):
        raise ValueError("token is empty: give the handler's shared token, or none")
    interceptors = [] if token is None else [_TokenCheck(str(token))]
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=int(opts.get("max_workers", 32))),
        interceptors=interceptors,
        # gRPC turns SO_REUSEPORT on by default: a second handler on a port in use would start
        # and silently take half its calls. Off, it fails to start instead.
        options=[("grpc.so_reuseport", 0)],
    )
    add = lc_grpc.add_LcHandlerServiceServicer_to_server  # untyped: protoc's grpc plugin
    add(_Handler(service), server)  # type: ignore[no-untyped-call]
    where = f"[{interface}]:{port}" if ":" in interface else f"{interface}:{port}"
    cert, key = opts.get("tls_cert_file"), opts.get("tls_key_file")
    if (cert is None) != (key is None):
        raise ValueError("tls_cert_file and tls_key_file go together")
    try:
        if cert is not None and key is not None:
            pair = (_read(key, "tls_key_file"), _read(cert, "tls_cert_file"))
            bound = server.add_secure_port(where, grpc.ssl_server_credentials([pair]))
        else:
            bound = server.add_insecure_port(where)
    except RuntimeError:  # newer grpcio raises where older ones return 0
        bound = 0
    if bound == 0:
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
    ``onShutdown()``. Prints ``<name> listening on host:port`` once ready."""
    running = start(service, interface, port, options)
    stopping = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopping.set())
    print(f"{service._serviceName} listening on {running.address}", flush=True)
    try:
        stopping.wait()
    finally:
        running.stop()
