// /api/playground/chat: the session, not a key, authorizes it; other sites and viewers are refused.
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSecret } from "@/lib/auth/secret";
import { authorize } from "@/lib/services/authorize";
import { addMember } from "@/lib/services/members";
import { createUser, findUserByEmail } from "@/lib/services/users";
import { testPassword } from "@/lib/testing/fixtures";
import { startGatewayFixture, type GatewayFixture } from "@/lib/testing/gateway";

let fx: GatewayFixture;
let ownerCookie: string;
let viewerCookie: string;

async function cookieFor(email: string) {
  const user = (await findUserByEmail(fx.bora.db.db, email))!;
  return `next-auth.session-token=${await encode({ token: { uid: user.id, email }, secret: getSecret() })}`;
}

beforeAll(async () => {
  fx = await startGatewayFixture();
  const db = fx.bora.db.db;
  await createUser(db, fx.admin, { email: "viewer@pg.test", password: testPassword });
  await addMember(db, await authorize(db, fx.admin, { slug: "default" }, "members:manage"), { email: "viewer@pg.test", role: "viewer" });
  ownerCookie = await cookieFor("root@gw.test");
  viewerCookie = await cookieFor("viewer@pg.test");
});
afterAll(() => fx.close());

const chat = (headers: Record<string, string>, body: Record<string, unknown> = {}) =>
  fetch(`${fx.bora.url}/api/playground/chat`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ workspace: "default", model: "small", messages: [{ role: "user", content: "hi" }], ...body }),
  });

describe("playground chat", () => {
  it("answers a signed-in member and meters it as playground, without a key", async () => {
    const res = await chat({ cookie: ownerCookie, origin: fx.bora.url });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe("Hello from the simulator. You said: hi");
    await fx.bora.gateway.meter.flush();
    const rows = (await fx.bora.db.db.execute("select origin, api_key_id from usage_events")) as unknown;
    const list = Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows;
    expect(list).toEqual([{ origin: "playground", api_key_id: null }]);
  });

  it("refuses no session, a forged session, another site, a viewer and a foreign workspace", async () => {
    expect((await chat({})).status).toBe(401);
    expect((await chat({ authorization: `Bearer ${fx.key}` })).status).toBe(401); // an API key is not a session
    expect((await chat({ cookie: "next-auth.session-token=forged" })).status).toBe(401);
    expect((await chat({ cookie: ownerCookie, origin: "https://evil.example" })).status).toBe(403);
    const viewer = await chat({ cookie: viewerCookie });
    expect(viewer.status).toBe(403);
    expect(((await viewer.json()) as { message: string }).message).toMatch(/viewer/);
    expect((await chat({ cookie: viewerCookie }, { workspace: "elsewhere" })).status).toBe(404);
  });
});
