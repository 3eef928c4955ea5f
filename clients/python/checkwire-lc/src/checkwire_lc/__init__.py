"""checkwire-lc: lcservice 1.8's API, served behind Checkwire's LC gateway.

Port an lcservice service by changing its imports::

    import checkwire_lc as lcservice                  # was: import lcservice
    from checkwire_lc.jobs import Job, Table          # was: from lcservice.jobs import ...
    from checkwire_lc import serve as ServeCherryPy   # was: from lcservice.servers.cherrypy import ServeCherryPy
"""

from . import jobs
from .interactive import InteractiveService
from .lc import LimaCharlieUnavailable, OfflineOrg
from .request import Request, TaskReply
from .server import DEFAULT_PORT, RunningHandler, serve, start
from .service import Service

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_PORT",
    "InteractiveService",
    "LimaCharlieUnavailable",
    "OfflineOrg",
    "Request",
    "RunningHandler",
    "Service",
    "TaskReply",
    "enableGRPC",
    "jobs",
    "serve",
    "start",
]


def enableGRPC() -> None:
    """lcservice patches gevent for gRPC here; this package uses threads, so nothing is needed."""
