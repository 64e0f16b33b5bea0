// Reading a stored request and answer (workspaces with request logging on).
import { and, eq, gt } from "drizzle-orm";
import { requestLogs } from "@/db/schema";
import type { Executor, WorkspaceContext } from "./context";

export async function findRequestLog(db: Executor, ctx: WorkspaceContext, requestId: string) {
  const [row] = await db
    .select()
    .from(requestLogs)
    .where(and(eq(requestLogs.workspaceId, ctx.workspace.id), eq(requestLogs.requestId, requestId), gt(requestLogs.expiresAt, new Date())))
    .limit(1);
  return row;
}
