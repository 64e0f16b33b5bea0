// Workspace roles, from most to least powerful. Plain data so client components can use it.
export const roles = ["owner", "admin", "developer", "viewer"] as const;
export type Role = (typeof roles)[number];
