"""textual-serve's server with a lock: a per-run secret, Origin and Host checks, bounded tabs.

textual-serve runs the inbox, with the configured tokens, for whoever opens its
websocket. Browsers let any page open a websocket to 127.0.0.1, and a DNS
rebinding page reaches loopback under a host name of its own, so the server
here admits a request only when

- its `Host` is an address `serve` listens on (DNS rebinding gets 421),
- it carries the per-run secret, as `?token=` once (answered with an HttpOnly,
  SameSite=Strict cookie and a redirect to the clean URL, as Jupyter does) or
  as that cookie (anything else gets 403),
- and, for the websocket, its `Origin` is the served origin itself (403 for
  any other page, cookie or not).

Only the static files of the page (xterm.js, fonts, styles; no data) are
served without the secret. Each tab runs its own inbox process, at most
`max_sessions` at once. The server is textual-serve's, wrapped at its
application factory and its two handlers.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from textual_serve.server import Server

TOKEN_QUERY = "token"
SESSIONS_FULL_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>connector-inbox</title></head>
<body style="font-family: sans-serif; margin: 3em">
<h1>Too many inbox tabs</h1>
<p>{open} inbox tabs are open already, the most this server runs at once
(<code>--max-sessions</code>). Close one of them, then reload this page.</p>
</body></html>
"""
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def allowed_hosts(names: Iterable[str], port: int) -> frozenset[str]:
    """The `Host` header values a browser sends for `names` at `port`."""
    hosts = set()
    for name in names:
        bracketed = f"[{name}]" if ":" in name and not name.startswith("[") else name
        hosts.add(f"{bracketed}:{port}".lower())
        if port == 80:
            hosts.add(bracketed.lower())
    return frozenset(hosts)


class GuardedServer(Server):
    """Serves `command` to the holder of `secret`, from the served origin only."""

    def __init__(
        self,
        command: str,
        *,
        secret: str,
        host: str,
        port: int,
        host_names: Iterable[str],
        max_sessions: int,
        title: str,
    ) -> None:
        super().__init__(command, host=host, port=port, title=title)
        self._secret = secret
        self._hosts = allowed_hosts(host_names, port)
        self._max_sessions = max_sessions
        self._sessions = 0
        # Cookies are per host name, not per port: two servers on one machine keep theirs apart.
        self.cookie_name = f"connector-inbox-{port}"

    def initialize_logging(self) -> None:
        super().initialize_logging()
        # aiohttp logs every request line, and the first one holds the secret.
        logging.getLogger("aiohttp.access").disabled = True

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints a logo and its address here; `serve` prints the URL to open."""

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.host.lower() not in self._hosts:
            raise web.HTTPMisdirectedRequest(text="This server does not answer for that host name.\n")
        if request.path.startswith("/static/"):
            return await handler(request)
        offered = request.query.get(TOKEN_QUERY)
        if offered is not None:
            if not self._is_secret(offered):
                raise web.HTTPForbidden(text="That token is not this server's.\n")
            clean = request.rel_url.with_query(
                urlencode([(k, v) for k, v in request.query.items() if k != TOKEN_QUERY])
            )
            redirect = web.HTTPFound(str(clean))
            redirect.set_cookie(
                self.cookie_name, offered, httponly=True, samesite="Strict", path="/", max_age=None
            )
            raise redirect
        if not self._is_secret(request.cookies.get(self.cookie_name, "")):
            raise web.HTTPForbidden(
                text="Open the address that `connector-inbox serve` printed, with its token.\n"
            )
        if request.path == "/ws" and request.headers.get("Origin", "") != f"http://{request.host}":
            raise web.HTTPForbidden(text="Only the inbox's own page may open its websocket.\n")
        return await handler(request)

    def _is_secret(self, offered: str) -> bool:
        return hmac.compare_digest(offered.encode(), self._secret.encode())

    async def handle_index(self, request: web.Request) -> Any:
        if self._sessions >= self._max_sessions:
            return self._sessions_full()
        # The page's websocket goes back to the host name the page was opened at (127.0.0.1 or
        # localhost), where its cookie is and which its Origin names. textual-serve builds the
        # page from `public_url` without awaiting anything, so no other request sees this one's.
        self.public_url = f"http://{request.host}"
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if self._sessions >= self._max_sessions:
            return self._sessions_full()
        self._sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self._sessions -= 1

    def _sessions_full(self) -> web.Response:
        return web.Response(
            status=503, text=SESSIONS_FULL_PAGE.format(open=self._sessions), content_type="text/html"
        )
