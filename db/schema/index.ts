// The whole schema, for drizzle's client and drizzle-kit. One module per table family.
// Coming with its issue: batches.ts.
export * from "./users";
export * from "./workspaces";
export * from "./audit";
export * from "./settings";
export * from "./api-keys";
export * from "./providers";
export * from "./usage";
export * from "./files";
export * from "./fine-tuning";
