// `npm run sim`: the upstream simulator on its own, for trying Bora without upstream keys.
import { parseArgs } from "node:util";
import { startSimulator } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.SIM_PORT ?? "8090" },
    "latency-ms": { type: "string", default: "0" },
    "tokens-per-second": { type: "string", default: "0" },
    "api-key": { type: "string" },
    "fine-tune-step-ms": { type: "string", default: "200" },
  },
});
const sim = await startSimulator({ port: Number(values.port), latencyMs: Number(values["latency-ms"]), tokensPerSecond: Number(values["tokens-per-second"]), apiKey: values["api-key"], fineTuneStepMs: Number(values["fine-tune-step-ms"]) });
console.log(`Upstream simulator on ${sim.url}: Mistral dialect at ${sim.url}/v1, OpenAI dialect at ${sim.url}/openai/v1`);
console.log(`Files at ${sim.url}/v1/files; fine-tuning jobs at ${sim.url}/v1/fine_tuning/jobs, ${sim.options.fineTuneStepMs} ms a step (POST /_sim/options to change)`);
console.log(`Models: sim-small, sim-large, sim-vision, sim-embed, sim-code. Faults: POST ${sim.url}/_sim/faults {"kind":"429","times":1}`);
process.on("SIGTERM", () => void sim.close().then(() => process.exit(0)));
process.on("SIGINT", () => void sim.close().then(() => process.exit(0)));
