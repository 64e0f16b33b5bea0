// What every provider adapter does: turn a client's Mistral-shaped request into the upstream's
// request, and the upstream's answers (whole or streamed) back into Mistral's shapes.
export type Endpoint = "chat" | "fim" | "embeddings";
export type Body = Record<string, unknown>;

export type UpstreamRequest = {
  path: string;
  body: Body;
  /** The exact bytes to send, when the client's request needs no change but the model name. */
  text?: string;
};

export interface ProviderAdapter {
  request(endpoint: Endpoint, body: Body, upstreamModel: string, text?: string): UpstreamRequest;
  response(endpoint: Endpoint, body: Body): Body;
  /** One streamed chunk in Mistral's shape, or null to drop it. */
  chunk(endpoint: Endpoint, chunk: Body): Body | null;
  /** Streamed chunks are already Mistral's: the relay may pass them through as text. */
  passthroughChunks?: boolean;
}

/** A declarative parameter rule (after Portkey's ParameterConfig): rename, drop or transform. */
export type ParamRule = { param: string; to?: string; drop?: boolean; transform?: (value: unknown, body: Body) => unknown };

export function applyRules(body: Body, rules: ParamRule[]): Body {
  const out: Body = { ...body };
  for (const rule of rules) {
    if (!(rule.param in out)) continue;
    const value = out[rule.param];
    delete out[rule.param];
    if (rule.drop || value === undefined) continue;
    out[rule.to ?? rule.param] = rule.transform ? rule.transform(value, body) : value;
  }
  return out;
}
