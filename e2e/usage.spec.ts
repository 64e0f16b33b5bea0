// Traffic through the gateway shows on the usage dashboard; filtering by key narrows it.
import { e2eAdmin } from "./admin";
import { cli, expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";

test("requests sent with a key appear on the dashboard, and the key filter isolates them", async ({ page, baseURL }) => {
  const created = JSON.parse((await cli("keys", "create", "--workspace", "default", "--name", "dashboard probe", "--json")).stdout) as { key: { id: string }; secret: string };
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${baseURL}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${created.secret}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "sim-small", messages: [{ role: "user", content: `probe ${i}` }] }),
    });
    expect(res.status).toBe(200);
  }
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
  await page.goto("/default/usage");
  await expect(page.getByTestId("usage-chart")).toBeVisible();
  const all = Number((await page.getByTestId("stat-requests").innerText()).replace(/,/g, ""));
  expect(all).toBeGreaterThanOrEqual(3);

  await page.getByLabel("Key").selectOption({ label: "dashboard probe" });
  await expect(page).toHaveURL(new RegExp(`key=${created.key.id}`));
  await expect(page.getByTestId("stat-requests")).toHaveText("3");
  // sim-small costs $0.10 in and $0.30 out per million tokens: a few millionths of a dollar.
  await expect(page.getByTestId("stat-spend")).toHaveText(/^\$0\.0000\d\d$/);
  await expect(page.getByTestId("top-models")).toContainText("sim-small");
  await expect(page.getByTestId("request-log").locator("tbody tr")).toHaveCount(3);
  await page.getByRole("tab", { name: "Spend" }).click();
  await page.getByRole("link", { name: "7 days" }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByTestId("stat-requests")).toHaveText("3");
  await expect(page.getByTestId("stat-latency-p50")).toHaveText(/^\d[\d,]* ms$/);
  // Stacked by key, the chart's series is the key itself (the key filter is on).
  await page.getByTestId("stack-by").selectOption("key");
  await expect(page).toHaveURL(/stack=key/);
  await expect(page.getByTestId("usage-chart")).toContainText("dashboard probe");
  await page.getByRole("link", { name: "This month" }).click();
  await expect(page).toHaveURL(/range=this-month/);
  await expect(page.getByTestId("stat-requests")).toHaveText("3");
  await page.screenshot({ path: "test-results/usage.png", fullPage: true });
});

test("with request logging on, a request's bodies can be read from the log", async ({ page, baseURL }) => {
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
  await page.goto("/default/settings");
  await page.getByLabel("Request logging").selectOption("7");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  const { secret } = JSON.parse((await cli("keys", "create", "--workspace", "default", "--name", "logged", "--json")).stdout) as { secret: string };
  // The key cache takes up to 2 s to see the workspace's new setting.
  await page.waitForTimeout(2100);
  const res = await fetch(`${baseURL}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "x-request-id": "e2e-logged-1" },
    body: JSON.stringify({ model: "sim-small", messages: [{ role: "user", content: "remember this" }] }),
  });
  expect(res.status).toBe(200);
  await expect(async () => {
    await page.goto("/default/usage/requests/e2e-logged-1");
    await expect(page.getByTestId("request-body")).toContainText("remember this", { timeout: 1000 });
  }).toPass();
  await expect(page.getByTestId("response-body")).toContainText("You said: remember this");
});

test("the CSV exports carry the view's rows and totals", async ({ page, baseURL }) => {
  const created = JSON.parse((await cli("keys", "create", "--workspace", "default", "--name", "csv probe", "--json")).stdout) as { key: { id: string }; secret: string };
  for (let i = 0; i < 4; i++) {
    await fetch(`${baseURL}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${created.secret}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "sim-small", messages: [{ role: "user", content: `csv, "quoted" ${i}` }] }),
    });
  }
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
  await expect(async () => {
    await page.goto(`/default/usage?key=${created.key.id}`);
    await expect(page.getByTestId("stat-requests")).toHaveText("4", { timeout: 1000 });
  }).toPass();
  const tokens = Number((await page.getByTestId("stat-input-tokens").innerText()).replace(/,/g, "")) + Number((await page.getByTestId("stat-output-tokens").innerText()).replace(/,/g, ""));

  const daily = page.waitForEvent("download");
  await page.getByRole("link", { name: "Daily totals" }).click();
  const dailyCsv = await (await (await daily).createReadStream()).toArray().then((b) => Buffer.concat(b).toString("utf8"));
  const lines = dailyCsv.trim().split("\n");
  expect(lines[0]).toBe("day,model,key,requests,errors,prompt_tokens,completion_tokens,cost_usd");
  const total = lines.at(-1)!.split(",");
  expect(total[0]).toBe("total");
  expect(Number(total[3])).toBe(4);
  expect(Number(total[5]) + Number(total[6])).toBe(tokens);

  const raw = page.waitForEvent("download");
  await page.getByRole("link", { name: "Requests" }).click();
  const rawCsv = await (await (await raw).createReadStream()).toArray().then((b) => Buffer.concat(b).toString("utf8"));
  const rows = rawCsv.trim().split("\n");
  expect(rows).toHaveLength(5); // header and four requests
  expect(rows.slice(1).every((r) => r.includes("csv probe") && r.includes("sim-small"))).toBe(true);
});
