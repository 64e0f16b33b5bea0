import path from "node:path";
import { describe, expect, it } from "vitest";
import { getConfig, oidcConfigured } from "./config";

describe("getConfig", () => {
  it("applies defaults", () => {
    const c = getConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.dataDir).toBe(path.resolve("data"));
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it("treats empty strings as unset", () => {
    expect(getConfig({ DATABASE_URL: "", PORT: "" }).PORT).toBe(3000);
  });

  it("names every invalid variable", () => {
    expect(() => getConfig({ PORT: "http", BORA_SECRET: "short" })).toThrow(/PORT[\s\S]*BORA_SECRET|BORA_SECRET[\s\S]*PORT/);
  });

  it("turns OIDC on only when issuer, client id and secret are all set", () => {
    expect(oidcConfigured(getConfig({ BORA_OIDC_ISSUER: "https://id.example.com" }))).toBe(false);
    expect(oidcConfigured(getConfig({ BORA_OIDC_ISSUER: "https://id.example.com", BORA_OIDC_CLIENT_ID: "a", BORA_OIDC_CLIENT_SECRET: "b" }))).toBe(true);
  });
});
