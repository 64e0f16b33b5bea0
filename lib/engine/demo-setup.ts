// First start with no model configured: write the demo GGUF and register it as the model
// "bora-demo" on the local engine, so the playground and /v1 answer before any upstream exists.
import { count } from "drizzle-orm";
import { models } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { emit } from "@/lib/events";
import type { Actor } from "@/lib/services/context";
import { addModel } from "@/lib/services/models";
import { demoModelFile, ensureDemoModel } from "./demo-model/build-demo-model";
import { ensureLocalProvider, localProviderName } from "./discovery";

export const demoAlias = "bora-demo";

export async function ensureDemoSetup(db: Db, actor: Actor, dir: string): Promise<boolean> {
  const [existing] = await db.select({ n: count() }).from(models);
  if (Number(existing?.n) > 0) return false;
  ensureDemoModel(dir);
  await ensureLocalProvider(db, actor);
  await addModel(
    db,
    actor,
    {
      alias: demoAlias,
      provider: localProviderName,
      upstreamModel: demoModelFile,
      contextLength: 4096,
      capabilities: ["chat", "embeddings", "function_calling"],
      description: "Bora's demo model: a tiny model with random weights, written at first start. It answers with noise and exists to try the wiring. Add a provider or a real GGUF for real answers.",
    },
    { ifMissing: true },
  );
  emit("catalog.changed");
  return true;
}
