// The embedded database on a thread of its own. PGlite runs Postgres as WebAssembly, and each
// statement runs synchronously on the thread that calls it: on the main thread a metering flush
// or a dashboard query stopped every /v1 request meanwhile (a third of the gateway's CPU per
// request on PGlite went there). Here it runs beside the event loop instead. Plain JavaScript:
// a worker thread does not get the TypeScript loader the main thread registered.
//
// Messages in: { id, op: "query", sql, params, rowMode, rawTypes, tx? }, { id, op: "begin" },
// { id, op: "end", tx, commit }, { id, op: "close" }. Each gets { id, result } or { id, error }.
import fs from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";

const keep = (value) => value;
// Tests start from a dump of a migrated database (`template`, a tar file) instead of running initdb.
const options = workerData.template ? { loadDataDir: new Blob([fs.readFileSync(workerData.template)]) } : {};
// Not `new PGlite(undefined, options)`: without a dir as first argument, the second is ignored.
const db = workerData.dataDir ? new PGlite(workerData.dataDir, options) : new PGlite(options);
// Open transactions by id: the transaction handle, and how to end it.
const open = new Map();

try {
  await db.waitReady;
  parentPort.postMessage({ ready: true });
} catch (err) {
  parentPort.postMessage({ ready: false, error: plain(err) });
}

parentPort.on("message", (m) => {
  run(m).then(
    (result) => parentPort.postMessage({ id: m.id, result }),
    (err) => parentPort.postMessage({ id: m.id, error: plain(err) }),
  );
});

async function run(m) {
  switch (m.op) {
    case "query": {
      const on = m.tx ? open.get(m.tx)?.tx : db;
      if (!on) throw new Error("This transaction has already ended.");
      // Parsers are functions and cannot cross threads. The only ones drizzle passes keep
      // the value as text (dates, intervals, numerics), so the types arrive as a list instead.
      const parsers = Object.fromEntries((m.rawTypes ?? []).map((oid) => [oid, keep]));
      const { rows, fields, affectedRows } = await on.query(m.sql, m.params, { rowMode: m.rowMode, parsers });
      return { rows, fields, affectedRows };
    }
    case "begin":
      return begin(m.id);
    case "end":
      return end(m.tx, m.commit);
    case "close":
      await db.close();
      return null;
    default:
      throw new Error(`Unknown database operation ${m.op}.`);
  }
}

// PGlite commits when the transaction's callback resolves and rolls back when it throws, and
// holds every other statement until then: the callback waits here for the main thread's word.
function begin(txId) {
  return new Promise((started, failed) => {
    const done = db.transaction(
      (tx) =>
        new Promise((commit, rollback) => {
          open.set(txId, { tx, commit, rollback, done });
          started(null);
        }),
    );
    done.catch(failed); // BEGIN itself failed; after it started this rejection is read in end()
  });
}

async function end(txId, commit) {
  const t = open.get(txId);
  if (!t) return null;
  open.delete(txId);
  if (commit) t.commit();
  else t.rollback(new Error("rolled back"));
  try {
    await t.done;
  } catch (err) {
    if (commit) throw err; // COMMIT failed; a rollback's own error is the one we asked for
  }
  return null;
}

// Errors cross threads as plain objects: structured clone keeps an Error's message but drops
// what Postgres adds to it (code, detail, constraint...).
function plain(err) {
  const out = { message: String(err?.message ?? err), name: err?.name };
  for (const [k, v] of Object.entries(err ?? {})) if (v === null || ["string", "number", "boolean"].includes(typeof v)) out[k] = v;
  return out;
}
