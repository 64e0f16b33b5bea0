// The whole schema, for drizzle's client and drizzle-kit. One module per table family.
// Coming with their issues: api-keys.ts (keys with limits), providers.ts (providers, models,
// deployments), usage.ts (events and rollups), files.ts, fine-tuning.ts, batches.ts.
export * from "./users";
export * from "./workspaces";
export * from "./audit";
export * from "./settings";
