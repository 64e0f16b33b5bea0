// The process's local engine, over BORA_MODELS_DIR (default: models/ under the data dir).
import path from "node:path";
import { getConfig, type Config } from "@/lib/config";
import { LocalEngine } from "./local-engine";

const key = Symbol.for("bora.localEngine");
const holder = globalThis as { [key]?: LocalEngine };

export function modelsDir(config: Config = getConfig()): string {
  return config.BORA_MODELS_DIR ? path.resolve(config.BORA_MODELS_DIR) : path.join(config.dataDir, "models");
}

export function setLocalEngine(engine: LocalEngine): void {
  holder[key] = engine;
}

export function localEngine(): LocalEngine {
  return (holder[key] ??= new LocalEngine(modelsDir()));
}
