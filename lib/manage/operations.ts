// What each management operation runs (its method and path are in routes.ts). The HTTP router
// serves them under /api/manage/v1 and the CLI calls them either through that router or, when
// no server holds the database, directly: both doors run the same services.
import { z } from "zod";
import type { Actor } from "@/lib/services/context";
import type { Db } from "@/lib/db/client";
import type { OperationName } from "./routes";
import { authorize } from "@/lib/services/authorize";
import { addMember, listMembers } from "@/lib/services/members";
import { createUser, listUsers, publicUser } from "@/lib/services/users";
import { createWorkspace, listWorkspaces } from "@/lib/services/workspaces";
import { createInvitation } from "@/lib/services/invitations";
import { issueAdminToken } from "@/lib/services/admin-tokens";
import { createKey, listKeys, revokeKey, rotateKey, updateKey } from "@/lib/services/api-keys";
import { addProvider, listProviders } from "@/lib/services/providers";
import { checkProvider } from "@/lib/services/provider-check";
import { addDeployment, addModel, listModels } from "@/lib/services/models";
import { listUsage } from "@/lib/services/usage";
import { localEngine } from "@/lib/engine";
import { scanLocalModels } from "@/lib/engine/discovery";
import { getSecret } from "@/lib/auth/secret";
import { roleCan } from "@/lib/auth/permissions";
import { getWorkspaceBudget, setWorkspaceBudget, setWorkspaceLimits } from "@/lib/services/workspace-budget";
import { explainKeyLimits } from "@/lib/services/limit-explainer";
import { listAudit } from "@/lib/services/audit-queries";
import { requireInstanceAdmin } from "@/lib/services/authorize";

type Params = Record<string, string>;
export type Operation = {
  run: (db: Db, actor: Actor, body: unknown, params: Params) => Promise<unknown>;
};

const workspaceParam = (params: Params) => ({ slug: params.workspace ?? "" });

export const operations: Record<OperationName, Operation> = {
  whoami: { run: async (_db, actor) => publicUser(actor.user) },
  "users.list": { run: (db, actor) => listUsers(db, actor) },
  "users.create": { run: (db, actor, body) => createUser(db, actor, body as never) },
  "workspaces.list": { run: (db, actor) => listWorkspaces(db, actor) },
  "workspaces.create": { run: (db, actor, body) => createWorkspace(db, actor, body as never) },
  "members.list": {
    run: async (db, actor, _body, params) => listMembers(db, await authorize(db, actor, workspaceParam(params), "members:read")),
  },
  "members.add": {
    run: async (db, actor, body, params) => addMember(db, await authorize(db, actor, workspaceParam(params), "members:manage"), body as never),
  },
  "invitations.create": {
    run: async (db, actor, body, params) => createInvitation(db, await authorize(db, actor, workspaceParam(params), "members:manage"), body as never),
  },
  "tokens.create": {
    run: (db, actor, body) => issueAdminToken(db, actor, z.object({ name: z.string().trim().min(1).max(80) }).parse(body).name),
  },
  "keys.list": {
    run: async (db, actor, _body, params) => listKeys(db, await authorize(db, actor, workspaceParam(params), "keys:read")),
  },
  "keys.create": {
    run: async (db, actor, body, params) => createKey(db, await authorize(db, actor, workspaceParam(params), "keys:manage"), body as never),
  },
  "keys.revoke": {
    run: async (db, actor, _body, params) => revokeKey(db, await authorize(db, actor, workspaceParam(params), "keys:manage"), params.key ?? ""),
  },
  "keys.update": {
    run: async (db, actor, body, params) => updateKey(db, await authorize(db, actor, workspaceParam(params), "keys:manage"), { ...(body as object), key: params.key ?? "" }),
  },
  "keys.rotate": {
    run: async (db, actor, body, params) => rotateKey(db, await authorize(db, actor, workspaceParam(params), "keys:manage"), { ...(body as object), key: params.key ?? "" }),
  },
  "keys.explain": {
    run: async (db, actor, query, params) => explainKeyLimits(db, await authorize(db, actor, workspaceParam(params), "keys:read"), { ...(query as object), key: params.key ?? "" } as never),
  },
  "workspaces.budget.get": {
    run: async (db, actor, _body, params) => {
      const ctx = await authorize(db, actor, workspaceParam(params), "workspace:read");
      return getWorkspaceBudget(db, ctx, getSecret(), roleCan(ctx.role, "workspace:update"));
    },
  },
  "workspaces.budget.set": {
    run: async (db, actor, body, params) => {
      const ctx = await authorize(db, actor, workspaceParam(params), "workspace:update");
      await setWorkspaceBudget(db, ctx, body as never, getSecret());
      return getWorkspaceBudget(db, await authorize(db, actor, workspaceParam(params), "workspace:update"), getSecret(), true);
    },
  },
  "workspaces.limits.set": {
    run: async (db, actor, body, params) => {
      const ctx = await authorize(db, actor, workspaceParam(params), "workspace:update");
      await setWorkspaceLimits(db, ctx, body as never);
      return (await getWorkspaceBudget(db, ctx, getSecret(), false)).limits;
    },
  },
  "audit.list": {
    run: async (db, actor, query, params) => listAudit(db, await authorize(db, actor, workspaceParam(params), "audit:read"), query as never),
  },
  "providers.list": {
    run: async (db, actor) => {
      requireInstanceAdmin(actor);
      return listProviders(db);
    },
  },
  "providers.add": { run: (db, actor, body) => addProvider(db, actor, body as never, getSecret()) },
  "providers.test": { run: (db, actor, _body, params) => checkProvider(db, actor, params.provider ?? "", getSecret()) },
  "models.list": { run: (db) => listModels(db) },
  "models.add": { run: (db, actor, body) => addModel(db, actor, body as never) },
  "models.scan": { run: (db, actor) => scanLocalModels(db, actor, localEngine().modelsDir) },
  "models.deploy": { run: (db, actor, body, params) => addDeployment(db, actor, { ...(body as object), alias: params.alias ?? "" } as never) },
  "usage.list": {
    run: async (db, actor, body, params) => listUsage(db, await authorize(db, actor, workspaceParam(params), "usage:read"), body as never),
  },
};
