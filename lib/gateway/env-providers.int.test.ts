// MISTRAL_API_KEY + MISTRAL_BASE_URL register the upstream at start and import its models.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { startBora, type RunningBora } from "@/lib/server/start";
import { listModels } from "@/lib/services/models";
import { listProviders } from "@/lib/services/providers";
import { startSimulator, type Simulator } from "@/lib/simulator/server";
import { testDataDir } from "@/lib/testing/database";

let sim: Simulator;
let dir: Awaited<ReturnType<typeof testDataDir>>;
let bora: RunningBora;

beforeAll(async () => {
  sim = await startSimulator({ apiKey: "upstream-secret" });
  dir = await testDataDir();
  const config = getConfig({ ...dir.env, PORT: "0", HOST: "127.0.0.1", MISTRAL_API_KEY: "upstream-secret", MISTRAL_BASE_URL: sim.url, OPENAI_API_KEY: "wrong", OPENAI_BASE_URL: `${sim.url}/openai` });
  bora = await startBora({ config });
});
afterAll(async () => {
  await bora.close();
  await sim.close();
  await dir.cleanup();
});

describe("providers from the environment", () => {
  it("registers the upstream with its key encrypted, and imports its model list", async () => {
    // Registration runs in the background, one upstream after the other: wait for both.
    let models: Awaited<ReturnType<typeof listModels>> = [];
    let providers: Awaited<ReturnType<typeof listProviders>> = [];
    for (let i = 0; i < 100 && (models.length < 6 || providers.length < 3); i++) {
      await new Promise((r) => setTimeout(r, 100));
      models = await listModels(bora.db.db);
      providers = await listProviders(bora.db.db);
    }
    // The demo model came first: no model was configured when Bora started.
    expect(models.map((m) => m.alias)).toEqual(["bora-demo", "sim-code", "sim-embed", "sim-large", "sim-small", "sim-vision"]);
    expect(models.find((m) => m.alias === "sim-embed")?.capabilities.embeddings).toBe(true);
    expect(providers.map((p) => [p.name, p.source, p.hasApiKey])).toEqual([
      ["local", "system", false],
      ["mistral", "env", true],
      ["openai", "env", true],
    ]);
    const rows = await bora.db.db.execute("select encrypted_api_key from providers");
    expect(JSON.stringify(rows)).not.toContain("upstream-secret");
  });
});
