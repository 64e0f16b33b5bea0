// What each workspace role may do. Every door (console action, management API, CLI) asks
// for one of these names; no code compares roles directly except owner-only member rules.
import type { Role } from "./roles";

export const permissions = [
  "workspace:read",
  "workspace:update",
  "members:read",
  "members:manage",
  "keys:read",
  "keys:manage",
  "usage:read",
  "models:read",
  "playground:use",
  "jobs:read",
  "jobs:manage",
  "audit:read",
] as const;
export type Permission = (typeof permissions)[number];

const reads: Permission[] = ["workspace:read", "members:read", "keys:read", "usage:read", "models:read", "jobs:read"];

const byRole: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(permissions),
  admin: new Set(permissions),
  // Developers build with the platform: keys, playground, jobs; they do not manage people.
  developer: new Set<Permission>([...reads, "keys:manage", "playground:use", "jobs:manage"]),
  // Viewers read dashboards and lists; they change nothing and call no model.
  viewer: new Set<Permission>(reads),
};

export function roleCan(role: Role, permission: Permission): boolean {
  return byRole[role].has(permission);
}

export const roleLabels: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  developer: "Developer",
  viewer: "Viewer",
};

export const roleDescriptions: Record<Role, string> = {
  owner: "Everything, including managing owners.",
  admin: "Everything except changing owners.",
  developer: "Keys, playground, fine-tuning and batches; no member management.",
  viewer: "Read-only: dashboards, lists and settings.",
};
