"""The HTTP API: accounts and sessions, push and pull of encrypted changes, a live stream, health."""

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request, Response, WebSocket, WebSocketDisconnect
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from nargis_sync_server import __version__
from nargis_sync_server.accounts import Accounts, Caller
from nargis_sync_server.changes import ChangeLog
from nargis_sync_server.db import Database
from nargis_sync_server.errors import ApiError, unauthorized
from nargis_sync_server.limits import BodyLimit, RateLimiter, client_address
from nargis_sync_server.live import LiveHub
from nargis_sync_server.logs import request_logged
from nargis_sync_server.settings import ServerSettings
from nargis_sync_server.wire import (
    MAX_PULL_CHANGES,
    Credentials,
    DeviceList,
    Health,
    Problem,
    PullResponse,
    PushRequest,
    PushResponse,
    RefreshRequest,
    RegisterRequest,
    SuccessorRequest,
    TokenResponse,
)

_LOGGER = logging.getLogger(__name__)
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (400, 401, 403, 404, 409, 413, 422, 429, 503)
}
_bearer = HTTPBearer(auto_error=False)


def create_app(settings: ServerSettings) -> FastAPI:
    db = Database(settings.database_url)
    accounts = Accounts(db, settings)
    log = ChangeLog(db, settings)
    hub = LiveHub(db)
    login_limit = RateLimiter(settings.login_attempts_per_minute)
    address_limit = RateLimiter(settings.address_attempts_per_minute)
    account_limit = RateLimiter(settings.account_attempts_per_minute)
    push_limit = RateLimiter(settings.pushes_per_minute)
    proxies = settings.proxy_networks()

    def address_of(request: Request) -> str:
        peer = request.client.host if request.client else None
        return client_address(peer, request.headers.get("x-forwarded-for"), proxies)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        hub.start(asyncio.get_running_loop())
        yield
        hub.stop()
        accounts.close()
        db.close()

    app = FastAPI(title="Nargis sync server", version=__version__, lifespan=lifespan, responses=_ERRORS)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)

    @app.middleware("http")
    async def log_requests(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        request_logged(_LOGGER, request.method, route, response.status_code, started)
        return response

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, err: ApiError) -> JSONResponse:
        return JSONResponse(status_code=err.status, content={"code": err.code, "message": err.message})

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, err: RequestValidationError) -> JSONResponse:
        # Where and what, never the rejected value: it may be a password or ciphertext.
        details = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors()[:5])
        return JSONResponse(status_code=422, content={"code": "invalid-request", "message": details[:1000]})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, err: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(status_code=err.status_code, content={"code": "http-error", "message": str(err.detail)})

    def caller(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Caller:
        if credentials is None:
            raise unauthorized("no-token", "send an access token: Authorization: Bearer <token>")
        return accounts.authenticate(credentials.credentials)

    Authenticated = Annotated[Caller, Depends(caller)]  # noqa: N806 (a type alias)

    def still_valid(token: str) -> bool:
        return accounts.session_alive(token)

    @app.get("/health", response_model=Health)
    def health() -> Health:
        with db.transaction() as tx:
            tx.one("SELECT 1")
        return Health(status="ok", database=db.kind)

    @app.post("/v1/accounts", status_code=201, response_model=TokenResponse)
    def register(body: RegisterRequest, request: Request) -> TokenResponse:
        address_limit.check(address_of(request))
        return accounts.register(body)

    @app.post("/v1/sessions", response_model=TokenResponse)
    def login(body: Credentials, request: Request) -> TokenResponse:
        # Per address over all accounts (one password tried on many e-mails), per account and
        # address (guessing one password), per account over all addresses (a crowd, set higher).
        address = address_of(request)
        address_limit.check(address)
        login_limit.check(f"{body.email.lower()}|{address}")
        account_limit.check(body.email.lower())
        return accounts.login(body)

    @app.post("/v1/sessions/refresh", response_model=TokenResponse)
    def refresh(body: RefreshRequest) -> TokenResponse:
        return accounts.refresh(body.refresh_token)

    @app.delete("/v1/sessions/current", status_code=204)
    def logout(who: Authenticated) -> Response:
        accounts.logout(who)
        hub.sessions_changed(who.user_id)  # its live streams check their token again and close
        return Response(status_code=204)

    @app.post("/v1/devices/successor", status_code=201, response_model=TokenResponse)
    def successor(body: SuccessorRequest, who: Authenticated) -> TokenResponse:
        return accounts.successor(who, body)

    @app.get("/v1/devices", response_model=DeviceList)
    def devices(who: Authenticated) -> DeviceList:
        return DeviceList(devices=accounts.devices(who))

    @app.delete("/v1/devices/{device_id}", status_code=204)
    def revoke(device_id: Annotated[str, Path(pattern=r"^[0-9a-f]{8,32}$")], who: Authenticated) -> Response:
        accounts.revoke(who, device_id)
        hub.sessions_changed(who.user_id)
        return Response(status_code=204)

    @app.post("/v1/changes", response_model=PushResponse)
    def push(body: PushRequest, who: Authenticated) -> Response:
        push_limit.check(f"push:{who.user_id}")
        result = log.push(who, body)
        if result.stored:
            hub.pushed(who.user_id)
        return _json(result)

    @app.get("/v1/changes", response_model=PullResponse)
    def pull(
        who: Authenticated,
        after: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_CHANGES)] = MAX_PULL_CHANGES,
    ) -> Response:
        return _json(log.pull(who, after, limit))

    @app.websocket("/v1/live")
    async def live(websocket: WebSocket) -> None:
        """Sends {"cursor": n} now and whenever the account has new changes; the device then pulls."""
        header = websocket.headers.get("authorization", "")
        try:
            who = await asyncio.to_thread(accounts.authenticate, header.removeprefix("Bearer ").strip())
        except ApiError as err:
            await websocket.close(code=4401, reason=err.code)
            return
        await websocket.accept()
        queue = hub.subscribe(who.user_id)
        closed = asyncio.ensure_future(_until_closed(websocket))
        token = header.removeprefix("Bearer ").strip()
        try:
            while not closed.done():
                await websocket.send_json({"cursor": await asyncio.to_thread(log.cursor, who.user_id)})
                waiting = asyncio.ensure_future(queue.get())
                await asyncio.wait({waiting, closed}, return_when=asyncio.FIRST_COMPLETED)
                waiting.cancel()
                if not closed.done() and not await asyncio.to_thread(still_valid, token):
                    # Logged out or revoked: the stream ends with the session. An access token that
                    # merely expired keeps its stream (the device refreshed and is still allowed).
                    await websocket.close(code=4401, reason="session-ended")
                    return
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            closed.cancel()
            hub.unsubscribe(who.user_id, queue)

    return app


def _json(model: BaseModel) -> Response:
    """Our own models, already valid: serialise once instead of validating them again."""
    return Response(model.model_dump_json(), media_type="application/json")


async def _until_closed(websocket: WebSocket) -> None:
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
