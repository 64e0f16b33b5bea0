// The upstream simulator as its own process, so it does not share an event loop with the load.
import { startSimulator } from "@/lib/simulator/server";

const sim = await startSimulator({ port: Number(process.env.PORT), latencyMs: Number(process.env.LATENCY_MS ?? 0) });
process.send?.(`ready ${sim.url}`);
