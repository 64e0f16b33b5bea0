// The whole schema, for drizzle's client and drizzle-kit. One module per table family.
export * from "./users";
export * from "./workspaces";
export * from "./audit";
export * from "./settings";
export * from "./api-keys";
export * from "./providers";
export * from "./usage";
export * from "./files";
export * from "./fine-tuning";
export * from "./batches";
export * from "./playground";
export * from "./processes";
