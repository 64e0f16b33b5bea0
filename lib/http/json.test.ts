import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BoraError } from "@/lib/errors";
import { errorBody } from "./json";

describe("errorBody", () => {
  it("renders validation errors as 422 naming the field", () => {
    const parsed = z.object({ email: z.email() }).safeParse({ email: "nope" });
    const { status, body } = errorBody(parsed.error, "req-1");
    expect(status).toBe(422);
    expect(body).toMatchObject({ object: "error", param: "email", request_id: "req-1", type: "invalid_request_error" });
    expect(body.message).toMatch(/^email: /);
  });

  it("renders Bora errors with their status, code and Retry-After", () => {
    const { status, body, headers } = errorBody(new BoraError("rate_limit:sign_in", "Too many.", { retryAfterSeconds: 12.2 }), "r");
    expect(status).toBe(429);
    expect(body).toMatchObject({ code: "rate_limit:sign_in", message: "Too many.", type: "rate_limit_error" });
    expect(headers["retry-after"]).toBe("13");
  });

  it("hides unknown errors behind a 500 without their message", () => {
    const { status, body } = errorBody(new Error("password=hunter2 in connection string"), "r");
    expect(status).toBe(500);
    expect(body.message).not.toContain("hunter2");
  });
});
