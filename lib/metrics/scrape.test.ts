import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { mayScrape } from "./scrape";

const req = (remoteAddress: string, headers: Record<string, string> = {}) => ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;
const token = "metrics-token-0123456789";

describe("mayScrape", () => {
  it("without a token, lets only direct clients on this machine in", () => {
    expect(mayScrape(req("127.0.0.1"), undefined)).toBe(true);
    expect(mayScrape(req("::1"), undefined)).toBe(true);
    expect(mayScrape(req("::ffff:127.0.0.1"), undefined)).toBe(true);
    expect(mayScrape(req("10.0.0.7"), undefined)).toBe(false);
    expect(mayScrape(req("127.0.0.1", { "x-forwarded-for": "203.0.113.9" }), undefined)).toBe(false);
    expect(mayScrape(req("127.0.0.1", { forwarded: "for=203.0.113.9" }), undefined)).toBe(false);
  });

  it("with a token, asks everyone for it, local clients included", () => {
    expect(mayScrape(req("10.0.0.7", { authorization: `Bearer ${token}` }), token)).toBe(true);
    expect(mayScrape(req("127.0.0.1"), token)).toBe(false);
    expect(mayScrape(req("10.0.0.7", { authorization: `Bearer ${token}x` }), token)).toBe(false);
    expect(mayScrape(req("10.0.0.7", { authorization: "Bearer nope" }), token)).toBe(false);
  });
});
