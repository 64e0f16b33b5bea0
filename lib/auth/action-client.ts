// The one client every console server action goes through. It resolves the session, checks the
// workspace named in the input and the action's permission, and turns refusals into messages a
// form can show beside the field that caused them. Nothing else in the console does auth.
import { createSafeActionClient } from "next-safe-action";
import { ZodError, z } from "zod";
import { getDb } from "@/lib/db/client";
import { BoraError, isBoraError } from "@/lib/errors";
import { log } from "@/lib/log";
import { authorize } from "@/lib/services/authorize";
import { permissions } from "./permissions";
import { sessionActor } from "./session";

export type ActionError = { message: string; field?: string; status: number };

export const actionClient = createSafeActionClient({
  defaultValidationErrorsShape: "formatted",
  defineMetadataSchema: () => z.object({ permission: z.enum(permissions).optional() }),
  handleServerError(err): ActionError {
    if (err instanceof ZodError) {
      const issue = err.issues[0]!;
      // The top-level input names the field; an error deep in a list belongs to the list's field.
      return { message: issue.message, field: issue.path.length ? String(issue.path[0]) : undefined, status: 422 };
    }
    if (isBoraError(err)) return { message: err.message, field: err.param, status: err.status };
    log.error("server action failed", { err });
    return { message: "Something went wrong on the server. Try again; if it persists, check the server logs.", status: 500 };
  },
});

/** Actions that need only a signed-in person (creating a workspace, accepting an invitation). */
export const signedInAction = actionClient.use(async ({ next }) => {
  const actor = await sessionActor();
  if (!actor) throw new BoraError("unauthorized:session", "Your session has ended. Sign in again.");
  return next({ ctx: { actor, db: await getDb() } });
});

/** Actions inside a workspace: the input carries `workspace` (the slug), metadata the permission. */
export const workspaceAction = signedInAction.use(async ({ next, ctx, clientInput, metadata }) => {
  const slug = (clientInput as { workspace?: unknown } | undefined)?.workspace;
  if (typeof slug !== "string") throw new BoraError("bad_request:workspace", "No workspace given.");
  if (!metadata?.permission) throw new Error("workspaceAction requires a permission in its metadata");
  const scope = await authorize(ctx.db, ctx.actor, { slug }, metadata.permission);
  return next({ ctx: { ...ctx, scope } });
});

export const workspaceField = { workspace: z.string().min(1) };
