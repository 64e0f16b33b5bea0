// A running Bora (without the console) in front of the upstream simulator, with providers,
// models and a key set up through the real services: the fixture of the gateway's tests.
import { getConfig } from "@/lib/config";
import { startBora, type RunningBora } from "@/lib/server/start";
import type { Mode } from "@/lib/server/modes";
import { startSimulator, type Simulator } from "@/lib/simulator/server";
import { createKey } from "@/lib/services/api-keys";
import { authorize } from "@/lib/services/authorize";
import type { Actor } from "@/lib/services/context";
import { addDeployment, addModel } from "@/lib/services/models";
import { addProvider } from "@/lib/services/providers";
import { findUserByEmail } from "@/lib/services/users";
import { testDataDir } from "./database";
import { testPassword } from "./fixtures";

type KeyOptions = { models?: string[]; scopes?: "usage:read"[]; expires?: string; workspace?: string; rpm?: number; tpm?: number; monthlyTokenQuota?: number; monthlySpendQuotaUsd?: number; maxConcurrent?: number; modelLimits?: { model: string; rpm?: number; tpm?: number }[] };

export type GatewayFixture = {
  sim: Simulator;
  bora: RunningBora;
  admin: Actor;
  /** A key of the default workspace that may use every model. */
  key: string;
  newKey: (opts?: KeyOptions) => Promise<string>;
  restart: () => Promise<void>;
  close: () => Promise<void>;
};

export const fixtureSecret = "test-secret-that-is-long-enough-for-bora-000";

/** `mode`: what the fixture's own Bora serves ("all" by default; "console" leaves /v1 and the workers to other processes). */
export async function startGatewayFixture(extraEnv: Record<string, string> = {}, { mode }: { mode?: Mode } = {}): Promise<GatewayFixture & { env: Record<string, string> }> {
  const sim = await startSimulator();
  const dir = await testDataDir();
  const secret = fixtureSecret;
  const env = { ...dir.env, HOST: "127.0.0.1", BORA_SECRET: secret, BORA_ADMIN_EMAIL: "root@gw.test", BORA_ADMIN_PASSWORD: testPassword, ...extraEnv };
  const bora = await startBora({ config: getConfig({ ...env, PORT: "0" }), mode });
  const db = bora.db.db;
  const admin: Actor = { user: (await findUserByEmail(db, "root@gw.test"))!, via: "system" };
  await addProvider(db, admin, { name: "sim", kind: "mistral", baseUrl: sim.url, apiKey: "sim-upstream-key", region: "eu" }, secret);
  await addProvider(db, admin, { name: "sim-openai", kind: "openai-compatible", baseUrl: `${sim.url}/openai`, apiKey: "sim-openai-key", region: "us" }, secret);
  // Nothing listens on port 9: every request to it fails to connect.
  await addProvider(db, admin, { name: "dead", kind: "mistral", baseUrl: "http://127.0.0.1:9" }, secret);
  const all = ["chat", "fim", "embeddings", "function_calling", "vision"] as const;
  await addModel(db, admin, { alias: "small", provider: "sim", upstreamModel: "sim-small", inputPrice: 0.1, outputPrice: 0.3, capabilities: ["chat", "function_calling"] });
  await addModel(db, admin, { alias: "large", provider: "sim", upstreamModel: "sim-large", inputPrice: 2, outputPrice: 6, capabilities: ["chat", "function_calling", "vision"], contextLength: 128000 });
  await addModel(db, admin, { alias: "codestral", provider: "sim", upstreamModel: "sim-code", inputPrice: 0.3, outputPrice: 0.9, capabilities: ["fim", "chat"] });
  await addModel(db, admin, { alias: "embed", provider: "sim", upstreamModel: "sim-embed", inputPrice: 0.1, capabilities: ["embeddings"] });
  await addModel(db, admin, { alias: "oai", provider: "sim-openai", upstreamModel: "sim-small", inputPrice: 0.5, outputPrice: 1.5, capabilities: [...all] });
  await addModel(db, admin, { alias: "resilient", provider: "dead", upstreamModel: "sim-small", capabilities: ["chat"] });
  await addDeployment(db, admin, { alias: "resilient", provider: "sim", upstreamModel: "sim-small" });
  await addModel(db, admin, { alias: "auto", candidates: ["small", "large"] });

  const newKey = async ({ workspace, ...opts }: KeyOptions = {}) => {
    const ctx = await authorize(db, admin, { slug: workspace ?? "default" }, "keys:manage");
    return (await createKey(db, ctx, { name: "test key", ...opts })).secret;
  };
  const key = await newKey();
  const fixture = {
    env,
    sim,
    bora,
    admin,
    key,
    newKey,
    /** Stops Bora as SIGTERM would and starts it again on the same data. */
    async restart() {
      await fixture.bora.close();
      fixture.bora = await startBora({ config: getConfig({ ...env, PORT: "0" }), mode });
    },
    async close() {
      await fixture.bora.close();
      await sim.close();
      await dir.cleanup();
    },
  };
  return fixture;
}
