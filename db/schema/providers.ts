// Upstream providers, the model aliases clients call, and the deployments behind each alias.
import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

export const providerKinds = ["mistral", "openai-compatible", "local"] as const;
export type ProviderKind = (typeof providerKinds)[number];

export const providers = pgTable("providers", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  kind: text("kind").$type<ProviderKind>().notNull(),
  baseUrl: text("base_url").notNull(),
  // AES-256-GCM under a key derived from BORA_SECRET (lib/crypto/secret-box.ts); null: no key.
  encryptedApiKey: text("encrypted_api_key"),
  // Where the upstream serves from ("eu", "us", …); eu-only workspaces use only "eu".
  region: text("region"),
  // "env": registered from MISTRAL_*/OPENAI_* at start; "admin": added in the console or CLI.
  source: text("source").notNull().default("admin"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export type ModelCapabilities = {
  chat: boolean;
  fim: boolean;
  embeddings: boolean;
  functionCalling: boolean;
  vision: boolean;
};

export const models = pgTable("models", {
  id: uuid("id").primaryKey().defaultRandom(),
  // The name clients send as `model`.
  alias: text("alias").notNull().unique(),
  description: text("description").notNull().default(""),
  // US dollars per million tokens.
  inputPricePerMillion: doublePrecision("input_price_per_million").notNull().default(0),
  outputPricePerMillion: doublePrecision("output_price_per_million").notNull().default(0),
  // What batch requests pay, as a share of the prices above (0.5: half price, as La Plateforme).
  batchPriceFactor: doublePrecision("batch_price_factor").notNull().default(0.5),
  // US dollars per million training tokens, for fine-tuning estimates (0: self-hosted, free).
  trainingPricePerMillion: doublePrecision("training_price_per_million").notNull().default(0),
  contextLength: integer("context_length").notNull().default(32768),
  capabilities: jsonb("capabilities").$type<ModelCapabilities>().notNull(),
  // "ordered": deployments in priority order with fallback. "auto": pick the cheapest of
  // `candidates` (other aliases) that has what the request needs.
  routing: text("routing").$type<"ordered" | "auto">().notNull().default("ordered"),
  candidates: jsonb("candidates").$type<string[]>(),
  archived: boolean("archived").notNull().default(false),
  // Null: an instance-wide model. Set: a workspace's own (fine-tuned) model, seen by no other.
  workspaceId: uuid("workspace_id").references(() => workspaces.id, { onDelete: "cascade" }),
  // The fine-tuning job that made it, and the base model it was tuned from.
  fineTuningJobId: uuid("fine_tuning_job_id"),
  baseModel: text("base_model"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const deployments = pgTable(
  "deployments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    providerId: uuid("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    // The model name the upstream knows.
    upstreamModel: text("upstream_model").notNull(),
    // Lower first; the next one is tried on connect errors, 429 and 5xx before the first byte.
    priority: integer("priority").notNull().default(0),
    timeoutMs: integer("timeout_ms").notNull().default(60_000),
  },
  (t) => [index("deployments_model_idx").on(t.modelId), uniqueIndex("deployments_model_provider_upstream_idx").on(t.modelId, t.providerId, t.upstreamModel)],
);

export type Provider = typeof providers.$inferSelect;
export type Model = typeof models.$inferSelect;
export type Deployment = typeof deployments.$inferSelect;
