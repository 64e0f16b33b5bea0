// A second Bora process for tests of several replicas: the API without the console, configured
// from its environment; reports its URL to the parent over IPC.
import { startBora } from "@/lib/server/start";

const bora = await startBora();
process.send?.(bora.url);
process.on("SIGTERM", () => void bora.close().then(() => process.exit(0)));
