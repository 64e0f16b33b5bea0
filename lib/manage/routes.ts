// The management API's operations by name: method and path, and nothing else, so the CLI can
// call a server without loading the services behind them (operations.ts holds those).

export const manageBase = "/api/manage/v1";

type Params = Record<string, string>;
type Route = { method: "GET" | "POST" | "PATCH" | "DELETE"; path: string };

export const routes = {
  whoami: { method: "GET", path: "/whoami" },
  "users.list": { method: "GET", path: "/users" },
  "users.create": { method: "POST", path: "/users" },
  "workspaces.list": { method: "GET", path: "/workspaces" },
  "workspaces.create": { method: "POST", path: "/workspaces" },
  "members.list": { method: "GET", path: "/workspaces/:workspace/members" },
  "members.add": { method: "POST", path: "/workspaces/:workspace/members" },
  "invitations.create": { method: "POST", path: "/workspaces/:workspace/invitations" },
  "tokens.create": { method: "POST", path: "/tokens" },
  "keys.list": { method: "GET", path: "/workspaces/:workspace/keys" },
  "keys.create": { method: "POST", path: "/workspaces/:workspace/keys" },
  "keys.revoke": { method: "POST", path: "/workspaces/:workspace/keys/:key/revoke" },
  "keys.update": { method: "PATCH", path: "/workspaces/:workspace/keys/:key" },
  "keys.rotate": { method: "POST", path: "/workspaces/:workspace/keys/:key/rotate" },
  "keys.explain": { method: "GET", path: "/workspaces/:workspace/keys/:key/explain" },
  "workspaces.budget.get": { method: "GET", path: "/workspaces/:workspace/budget" },
  "workspaces.budget.set": { method: "POST", path: "/workspaces/:workspace/budget" },
  "workspaces.limits.set": { method: "POST", path: "/workspaces/:workspace/limits" },
  "audit.list": { method: "GET", path: "/workspaces/:workspace/audit" },
  "providers.list": { method: "GET", path: "/providers" },
  "providers.add": { method: "POST", path: "/providers" },
  "providers.test": { method: "POST", path: "/providers/:provider/test" },
  "models.list": { method: "GET", path: "/models" },
  "models.add": { method: "POST", path: "/models" },
  "models.scan": { method: "POST", path: "/models/scan" },
  "models.deploy": { method: "POST", path: "/models/:alias/deployments" },
  "usage.list": { method: "GET", path: "/workspaces/:workspace/usage" },
} satisfies Record<string, Route>;

export type OperationName = keyof typeof routes;

/** Fills ":name" segments of an operation's path, encoding each value. */
export function operationPath(name: OperationName, params: Params = {}): string {
  return routes[name].path.replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(params[key] ?? ""));
}

/** Finds the operation for a method and path under the API's base, with its path parameters. */
export function matchOperation(method: string, path: string): { name: OperationName; params: Params } | undefined {
  const parts = path.split("/").filter(Boolean);
  for (const [name, route] of Object.entries(routes) as [OperationName, Route][]) {
    if (route.method !== method) continue;
    const pattern = route.path.split("/").filter(Boolean);
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
