"""`Sync the mirror` from the palette: what `connector-inbox sync` does, while the inbox is used.

The mirror runs on the app's loop with the inbox's own client, so it shares the request
budget (and its limiter) with loading and polling; what waits for the disk runs on a
thread. Its progress is the header's `sync_note`; a failure is reported like any other
and leaves the mirror resumable, as a killed `sync` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inbox_tui.api.errors import ApiError
from inbox_tui.wording import counted

if TYPE_CHECKING:
    from inbox_tui.inbox.mirror import Progress
    from inbox_tui.tui.inbox_services import InboxServices


class MirrorSync:
    def __init__(self, app: InboxServices) -> None:
        self._app = app
        self.is_running = False

    def start(self) -> None:
        app = self._app
        if app.cache is None or not app.is_connected:
            app.notify("Syncing needs the local cache and the platform's connection.", timeout=4)
        elif self.is_running:
            app.notify("The mirror is being synced: its progress is in the header.", timeout=3)
        else:
            self.is_running = True
            app.sync_note = "sync: starting"
            app.run_worker(self._run(), group="sync", exclusive=True)

    async def _run(self) -> None:
        from inbox_tui.inbox.mirror import mirror

        app = self._app
        assert app.cache is not None
        try:
            progress = await mirror(app.client, app.cache, app.walk, self._show, app.now)
        except ApiError as error:
            app.report_error(error, "Sync stopped (the next one goes on from here)")
            return
        finally:
            self.is_running = False
            app.sync_note = ""
        app.notify(
            f"{counted(progress.messages + progress.new_messages, 'message')} added in "
            f"{counted(progress.requests, 'request')}. Search (s) finds anything ever said.",
            title="Mirror synced",
            timeout=6,
        )

    def _show(self, progress: Progress) -> None:
        if not progress.has_walked:
            note = f"sync: {counted(progress.threads, 'thread')} walked"
        else:
            done, total = progress.conversations, progress.conversations_total
            note = f"sync: {done * 100 // max(1, total)}% of {counted(total, 'conversation')}"
        self._app.sync_note = note
