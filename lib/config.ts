// Process configuration, read once from the environment. Every variable Bora reads is here,
// so the README's configuration table has one place to stay true to.
import path from "node:path";
import { z } from "zod";

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  // Lets /metrics be scraped from other machines with `Authorization: Bearer <token>`; unset,
  // /metrics answers only to clients on this machine (lib/metrics/scrape.ts).
  BORA_METRICS_TOKEN: z.string().min(16, "use at least 16 characters").optional(),
  BORA_DATA_DIR: z.string().default("data"),
  // GGUF files for the local engine; default: models/ under the data dir.
  BORA_MODELS_DIR: z.string().optional(),
  // Requests each local model serves at once (one context, this many sequences), and how many
  // more may wait for one before the rest get 503 with Retry-After.
  BORA_LOCAL_SEQUENCES: z.coerce.number().int().min(1).max(64).default(4),
  BORA_LOCAL_QUEUE: z.coerce.number().int().min(0).default(16),
  // A local model nobody has called for this long is unloaded (0: never).
  BORA_LOCAL_IDLE_UNLOAD_SECONDS: z.coerce.number().min(0).default(600),
  // Memory the local engine may assume free for a model, in bytes; default: the system's free memory.
  BORA_LOCAL_MEMORY_BYTES: z.coerce.number().int().min(1).optional(),
  BORA_SECRET: z.string().min(32, "BORA_SECRET must be at least 32 characters").optional(),
  BORA_ADMIN_EMAIL: z.string().email().optional(),
  BORA_ADMIN_PASSWORD: z.string().min(8, "BORA_ADMIN_PASSWORD must be at least 8 characters").optional(),
  BORA_PUBLIC_URL: z.string().url().optional(),
  // The command trainer (lib/fine-tuning/reference-trainer/contract.ts): the program to run, and
  // the provider (by name) that serves what it trains.
  BORA_TRAINER_COMMAND: z.string().optional(),
  BORA_TRAINER_PROVIDER: z.string().optional(),
  // How often fine-tuning jobs are polled and looked for, in milliseconds.
  BORA_JOB_POLL_MS: z.coerce.number().int().min(10).default(2_000),
  // Largest file /v1/files accepts, in bytes (default 512 MB).
  BORA_MAX_FILE_BYTES: z.coerce.number().int().min(1).default(512 * 1024 * 1024),
  // Where files live without a bucket (default <data dir>/files): a directory every Bora process
  // mounts when several run on one host or share a volume.
  BORA_FILES_DIR: z.string().optional(),
  // Files in an S3-compatible bucket instead of the data dir (lib/files/s3-store.ts). Without
  // the key pair the SDK's default credential chain applies (env, profile, instance role).
  BORA_S3_BUCKET: z.string().optional(),
  BORA_S3_REGION: z.string().default("us-east-1"),
  // "minio:9000" parses as a URL (scheme "minio:"): ask for the scheme the SDK needs.
  BORA_S3_ENDPOINT: z.string().url().regex(/^https?:\/\//, "must start with http:// or https://").optional(),
  BORA_S3_ACCESS_KEY_ID: z.string().optional(),
  BORA_S3_SECRET_ACCESS_KEY: z.string().optional(),
  BORA_S3_PREFIX: z.string().optional(),
  BORA_OIDC_ISSUER: z.string().url().optional(),
  BORA_OIDC_CLIENT_ID: z.string().optional(),
  BORA_OIDC_CLIENT_SECRET: z.string().optional(),
  MISTRAL_API_KEY: z.string().optional(),
  MISTRAL_BASE_URL: z.string().url().default("https://api.mistral.ai"),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().default("https://api.openai.com"),
  // On SIGTERM, how long requests, streams and batch lines in flight may take to finish before
  // their connections are closed (keep the orchestrator's grace period longer).
  BORA_DRAIN_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  // OpenTelemetry traces of /v1 requests go to this OTLP/HTTP collector (its /v1/traces).
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  BORA_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
}).refine((env) => !env.BORA_S3_ACCESS_KEY_ID === !env.BORA_S3_SECRET_ACCESS_KEY, {
  message: "set both BORA_S3_ACCESS_KEY_ID and BORA_S3_SECRET_ACCESS_KEY, or neither",
  path: ["BORA_S3_SECRET_ACCESS_KEY"],
});

export type Config = z.infer<typeof envSchema> & { dataDir: string };

let cached: Config | undefined;

export function getConfig(env: Record<string, string | undefined> = process.env): Config {
  if (cached && env === process.env) return cached;
  // Empty strings are how shells and compose files say "unset".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const config = { ...parsed.data, dataDir: path.resolve(parsed.data.BORA_DATA_DIR) };
  if (env === process.env) cached = config;
  return config;
}

export function oidcConfigured(config: Config): boolean {
  return Boolean(config.BORA_OIDC_ISSUER && config.BORA_OIDC_CLIENT_ID && config.BORA_OIDC_CLIENT_SECRET);
}
