// The management API's operations, declared once. The HTTP router serves them under
// /api/manage/v1 and the CLI calls them either through that router or, when no server holds
// the database, directly: both doors run the same services.
import { z } from "zod";
import type { Actor } from "@/lib/services/context";
import type { Db } from "@/lib/db/client";
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
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  run: (db: Db, actor: Actor, body: unknown, params: Params) => Promise<unknown>;
};

const workspaceParam = (params: Params) => ({ slug: params.workspace ?? "" });

export const operations = {
  whoami: { method: "GET", path: "/whoami", run: async (_db, actor) => publicUser(actor.user) },
  "users.list": { method: "GET", path: "/users", run: (db, actor) => listUsers(db, actor) },
  "users.create": { method: "POST", path: "/users", run: (db, actor, body) => createUser(db, actor, body as never) },
  "workspaces.list": { method: "GET", path: "/workspaces", run: (db, actor) => listWorkspaces(db, actor) },
  "workspaces.create": { method: "POST", path: "/workspaces", run: (db, actor, body) => createWorkspace(db, actor, body as never) },
  "members.list": {
    method: "GET",
    path: "/workspaces/:workspace/members",
    run: async (db, actor, _body, params) => listMembers(db, await authorize(db, actor, workspaceParam(params), "members:read")),
  },
  "members.add": {
    method: "POST",
    path: "/workspaces/:workspace/members",
    run: async (db, actor, body, params) => addMember(db, await authorize(db, actor, workspaceParam(params), "members:manage"), body as never),
  },
  "invitations.create": {
    method: "POST",
    path: "/workspaces/:workspace/invitations",
    run: async (db, actor, body, params) => createInvitation(db, await authorize(db, actor, workspaceParam(params), "members:manage"), body as never),
  },
  "tokens.create": {
    method: "POST",
    path: "/tokens",
    run: (db, actor, body) => issueAdminToken(db, actor, z.object({ name: z.string().trim().min(1).max(80) }).parse(body).name),
  },
  "keys.list": {
    method: "GET",
    path: "/workspaces/:workspace/keys",
    run: async (db, actor, _body, params) => listKeys(db, await authorize(db, actor, workspaceParam(params), "keys:read")),
  },
  "keys.create": {
    method: "POST",
    path: "/workspaces/:workspace/keys",
    run: async (db, actor, body, params) => createKey(db, await authorize(db, actor, workspaceParam(params), "keys:manage"), body as never),
  },
  "keys.revoke": {
    method: "POST",
    path: "/workspaces/:workspace/keys/:key/revoke",
    run: async (db, actor, _body, params) => revokeKey(db, await authorize(db, actor, workspaceParam(params), "keys:manage"), params.key ?? ""),
  },
  "keys.update": {
    method: "PATCH",
    path: "/workspaces/:workspace/keys/:key",
    run: async (db, actor, body, params) => updateKey(db, await authorize(db, actor, workspaceParam(params), "keys:manage"), { ...(body as object), key: params.key ?? "" }),
  },
  "keys.rotate": {
    method: "POST",
    path: "/workspaces/:workspace/keys/:key/rotate",
    run: async (db, actor, body, params) => rotateKey(db, await authorize(db, actor, workspaceParam(params), "keys:manage"), { ...(body as object), key: params.key ?? "" }),
  },
  "keys.explain": {
    method: "GET",
    path: "/workspaces/:workspace/keys/:key/explain",
    run: async (db, actor, query, params) => explainKeyLimits(db, await authorize(db, actor, workspaceParam(params), "keys:read"), { ...(query as object), key: params.key ?? "" } as never),
  },
  "workspaces.budget.get": {
    method: "GET",
    path: "/workspaces/:workspace/budget",
    run: async (db, actor, _body, params) => {
      const ctx = await authorize(db, actor, workspaceParam(params), "workspace:read");
      return getWorkspaceBudget(db, ctx, getSecret(), roleCan(ctx.role, "workspace:update"));
    },
  },
  "workspaces.budget.set": {
    method: "POST",
    path: "/workspaces/:workspace/budget",
    run: async (db, actor, body, params) => {
      const ctx = await authorize(db, actor, workspaceParam(params), "workspace:update");
      await setWorkspaceBudget(db, ctx, body as never, getSecret());
      return getWorkspaceBudget(db, await authorize(db, actor, workspaceParam(params), "workspace:update"), getSecret(), true);
    },
  },
  "workspaces.limits.set": {
    method: "POST",
    path: "/workspaces/:workspace/limits",
    run: async (db, actor, body, params) => {
      const ctx = await authorize(db, actor, workspaceParam(params), "workspace:update");
      await setWorkspaceLimits(db, ctx, body as never);
      return (await getWorkspaceBudget(db, ctx, getSecret(), false)).limits;
    },
  },
  "audit.list": {
    method: "GET",
    path: "/workspaces/:workspace/audit",
    run: async (db, actor, query, params) => listAudit(db, await authorize(db, actor, workspaceParam(params), "audit:read"), query as never),
  },
  "providers.list": {
    method: "GET",
    path: "/providers",
    run: async (db, actor) => {
      requireInstanceAdmin(actor);
      return listProviders(db);
    },
  },
  "providers.add": { method: "POST", path: "/providers", run: (db, actor, body) => addProvider(db, actor, body as never, getSecret()) },
  "providers.test": { method: "POST", path: "/providers/:provider/test", run: (db, actor, _body, params) => checkProvider(db, actor, params.provider ?? "", getSecret()) },
  "models.list": { method: "GET", path: "/models", run: (db) => listModels(db) },
  "models.add": { method: "POST", path: "/models", run: (db, actor, body) => addModel(db, actor, body as never) },
  "models.scan": { method: "POST", path: "/models/scan", run: (db, actor) => scanLocalModels(db, actor, localEngine().modelsDir) },
  "models.deploy": { method: "POST", path: "/models/:alias/deployments", run: (db, actor, body, params) => addDeployment(db, actor, { ...(body as object), alias: params.alias ?? "" } as never) },
  "usage.list": {
    method: "GET",
    path: "/workspaces/:workspace/usage",
    run: async (db, actor, body, params) => listUsage(db, await authorize(db, actor, workspaceParam(params), "usage:read"), body as never),
  },
} satisfies Record<string, Operation>;

export type OperationName = keyof typeof operations;

/** Fills ":name" segments of an operation's path, encoding each value. */
export function operationPath(name: OperationName, params: Params = {}): string {
  return operations[name].path.replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(params[key] ?? ""));
}

/** Finds the operation for a method and path under the API's base, with its path parameters. */
export function matchOperation(method: string, path: string): { name: OperationName; params: Params } | undefined {
  const parts = path.split("/").filter(Boolean);
  for (const [name, op] of Object.entries(operations) as [OperationName, Operation][]) {
    if (op.method !== method) continue;
    const pattern = op.path.split("/").filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Params = {};
    const ok = pattern.every((seg, i) => {
      if (seg.startsWith(":")) {
        params[seg.slice(1)] = decodeURIComponent(parts[i]!);
        return true;
      }
      return seg === parts[i];
    });
    if (ok) return { name, params };
  }
  return undefined;
}
