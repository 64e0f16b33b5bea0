// An all-in-one Bora process without the console, configured from its environment, for tests
// that kill and restart a whole server (the console would need a build first); reports its URL
// to the parent over IPC. Split modes run through `bora serve` instead (replica.ts).
import { startBora } from "@/lib/server/start";

const bora = await startBora();
process.send?.(bora.url);
process.on("SIGTERM", () => void bora.close().then(() => process.exit(0)));
