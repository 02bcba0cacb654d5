"""Root subscription fields (graphql-transport-ws over WebSocket at /graphql)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers.tasks import TaskTracker, parse_task_id, require_scope, task_from_record
from schema.arguments import TASK_ID
from schema.tasks import Task


@strawberry.type(description="Streams over the WebSocket at /graphql (graphql-transport-ws): a task's status, "
                             "polled by the gateway from Dartmouth tasks or Stellic exports.")
class Subscription:
    @strawberry.subscription(description="Streams a task's status until it is COMPLETE or FAILED: the task as it "
                                         "stands, then each change. While the vendor fails to answer its polls, an "
                                         "event with that failure as its error (coded as a query's; once, until a "
                                         "poll answers or fails otherwise), and polling goes on; a follower that "
                                         "gives up before the task ends sends a last error saying so. Source: "
                                         "gateway, polling Dartmouth tasks (`GET /api/tasks/{id}`) or Stellic "
                                         "exports (`get_export_url`).")
    async def task_updates(self, info: Info[Any, Any],
                           id: Annotated[strawberry.ID, TASK_ID]) -> AsyncGenerator[Task, None]:
        kind, vendor_id = parse_task_id(id)
        require_scope(info, kind)
        tracker: TaskTracker = info.context.tasks
        async for update in tracker.updates(kind, vendor_id):
            # A failure is yielded as the event itself: graphql-core completes an exception as that event's error
            # (`data` null, `taskUpdates` being non-null), and the stream goes on.
            yield update if isinstance(update, Exception) else task_from_record(update)  # type: ignore[misc]
