// Calls to a provider's own API outside the request path (files and fine-tuning jobs), with its
// key opened from the database. Errors carry the status, so the runner can tell a refusal
// (4xx: the job fails) from a hiccup (5xx, 429, network: retried later).
import { eq } from "drizzle-orm";
import { providers } from "@/db/schema";
import { open } from "@/lib/crypto/secret-box";
import { fromSignal, httpRequest } from "@/lib/http/client";
import type { Executor } from "@/lib/services/context";
import { TrainingFailed } from "./types";

export type UpstreamClient = {
  json<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T>;
  /** A GET whose answer is not JSON (a file's content). */
  text(path: string): Promise<string>;
  upload(path: string, filename: string, content: Buffer, fields: Record<string, string>): Promise<{ id: string }>;
};

export async function upstreamClient(db: Executor, providerId: string, secret: string, signal?: AbortSignal): Promise<UpstreamClient> {
  const [p] = await db.select().from(providers).where(eq(providers.id, providerId)).limit(1);
  if (!p) throw new TrainingFailed("The provider this job trains on was removed.");
  const cancel = signal ? fromSignal(signal) : undefined;
  const auth: Record<string, string> = p.encryptedApiKey ? { authorization: `Bearer ${open(p.encryptedApiKey, secret)}` } : {};
  const send = async (method: "GET" | "POST", path: string, body: string | FormData | undefined, headers: Record<string, string>) => {
    const init = body instanceof FormData ? new Response(body) : undefined;
    const r = await httpRequest(p.baseUrl, path, {
      method,
      headers: { ...auth, ...headers, ...(init ? { "content-type": init.headers.get("content-type")! } : {}) },
      body: init ? Buffer.from(await init.arrayBuffer()) : (body as string | undefined),
      timeoutMs: 60_000,
      cancel,
    });
    const text = await r.body.text();
    if (r.statusCode >= 400) {
      const message = `${method} ${path} answered ${r.statusCode}: ${text.slice(0, 300)}`;
      throw r.statusCode === 429 || r.statusCode >= 500 ? new Error(message) : new TrainingFailed(message);
    }
    return text;
  };
  return {
    json: async <T>(method: "GET" | "POST", path: string, body?: unknown) => JSON.parse(await send(method, path, body === undefined ? undefined : JSON.stringify(body), body === undefined ? {} : { "content-type": "application/json" })) as T,
    text: (path) => send("GET", path, undefined, {}),
    upload: async (path, filename, content, fields) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append("file", new Blob([new Uint8Array(content)]), filename);
      return JSON.parse(await send("POST", path, form, {})) as { id: string };
    },
  };
}
