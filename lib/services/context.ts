// Who is acting, through which door, and in which workspace with which role. Services take
// these instead of raw ids, so an unauthorized call cannot be written by accident.
import type { Role, User, Workspace } from "@/db/schema";
import type { Db } from "@/lib/db/client";

export type Via = "console" | "api" | "cli" | "system";

export type Actor = { user: User; via: Via };

export type WorkspaceContext = Actor & { workspace: Workspace; role: Role };

/** A database or an open transaction: services work inside either. */
export type Executor = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];
