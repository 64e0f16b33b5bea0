// The process's file store, set once at start. On globalThis because Next's bundles (server
// actions, route handlers) load their own copy of lib/ and must use the store the server opened.
import type { FileStore } from "./store";

const key = Symbol.for("bora.fileStore");
const holder = globalThis as { [key]?: FileStore };

export function setFileStore(store: FileStore): void {
  holder[key] = store;
}

export function fileStore(): FileStore {
  const store = holder[key];
  if (!store) throw new Error("The file store is not open: it is set when the server starts.");
  return store;
}
