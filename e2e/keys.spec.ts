// Keys in the console: create one limited to a model, use it against /v1, revoke it.
import { e2eAdmin } from "./admin";
import { expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";

test("create a key limited to one model, call /v1 with it, revoke it, and see the next call refused", async ({ page, baseURL }) => {
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
  await page.goto("/default/keys");
  await page.getByLabel("Name").fill("e2e backend");
  await page.getByLabel("Only some models").check();
  await page.getByRole("checkbox", { name: "sim-small", exact: true }).check();
  await page.getByLabel("Expires").selectOption("30d");
  await page.getByLabel("Requests / min").fill("0");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("key-rpm-error")).toContainText("at least 1");
  await page.getByLabel("Requests / min").fill("2");
  await page.getByLabel("Tokens / month").fill("100000");
  await page.getByRole("button", { name: "+ Limit for one model" }).click();
  await page.getByLabel("Model of limit 1").selectOption("sim-large");
  await page.getByLabel("Requests per minute on model 1").fill("1");
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByTestId("new-key-secret").inputValue();
  expect(secret).toMatch(/^bora_[0-9a-f]{12}_/);
  await page.getByRole("tab", { name: "TypeScript" }).click();
  await expect(page.getByRole("tabpanel")).toContainText("new Mistral({ apiKey: process.env.BORA_API_KEY");
  await page.screenshot({ path: "test-results/keys-created.png" });

  const call = (model: string) =>
    fetch(`${baseURL}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }) });
  const ok = await call("sim-small");
  expect(ok.status).toBe(200);
  expect(((await ok.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toContain("You said: hi");
  expect((await call("sim-large")).status).toBe(403);
  // Refused requests do not count: the second passes, the third within the minute meets 2 RPM.
  expect((await call("sim-small")).status).toBe(200);
  const limited = await call("sim-small");
  expect(limited.status).toBe(429);
  expect(limited.headers.get("retry-after")).toBeTruthy();

  // The table shows the prefix only, never the secret.
  const prefix = secret.split("_")[1]!;
  const row = page.getByTestId(`key-${prefix}`);
  await page.reload();
  await expect(row).toContainText("e2e backend");
  await expect(row).toContainText("2 req/min");
  await expect(row).toContainText("sim-large: 1 req/min");
  // The usage bar moves: this month's tokens against the 100,000-token quota.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId(`month-${prefix}`)).toContainText(/[1-9]\d* tokens of 100,000/, { timeout: 1000 });
  }).toPass();
  expect(Number(await page.getByTestId(`month-${prefix}`).getByRole("meter").getAttribute("aria-valuenow"))).toBeGreaterThanOrEqual(0);
  await expect(page.locator("body")).not.toContainText(secret);
  // On common laptop and desktop widths the row's actions fit in the table's card, none cut off.
  for (const width of [1280, 1440, 1600, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    const fit = await page.getByTestId("keys-table").evaluate((t) => ({ table: t.scrollWidth, card: t.parentElement!.clientWidth, cardRight: t.parentElement!.getBoundingClientRect().right }));
    expect(fit.table, `keys table at ${width} px`).toBeLessThanOrEqual(fit.card);
    const revoke = (await row.getByRole("button", { name: "Revoke e2e backend" }).boundingBox())!;
    expect(revoke.x + revoke.width, `Revoke at ${width} px`).toBeLessThanOrEqual(fit.cardRight);
  }
  // Edit the limits in place: the same secret, now 3 RPM.
  await row.getByRole("button", { name: "Edit e2e backend" }).click();
  const edit = page.getByRole("form", { name: "Edit e2e backend" });
  await edit.getByLabel("Requests / min").fill("0");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("edit-rpm-error")).toContainText("at least 1");
  await edit.getByLabel("Requests / min").fill("3");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(row).toContainText("3 req/min");
  expect((await call("sim-small")).status).toBe(200); // the third of this minute, now allowed
  // Rotate: a new secret works at once, and the old one still works during its grace hour.
  await row.getByRole("button", { name: "Rotate e2e backend" }).click();
  const rotateForm = page.getByRole("form", { name: "Rotate e2e backend" });
  await rotateForm.getByLabel("Old secret keeps working for").selectOption("60");
  await rotateForm.getByRole("button", { name: "Rotate now" }).click();
  const rotatedSecret = await page.getByTestId("new-key-secret").first().inputValue();
  expect(rotatedSecret).not.toBe(secret);
  await expect(row).toContainText("Rotating");
  await expect(row.getByRole("button", { name: "Revoke e2e backend" })).toHaveCount(0);
  // The old secret still authenticates; it shares the new key's 3 RPM, already spent this minute.
  expect((await call("sim-small")).status).toBe(429);
  const newRow = page.getByTestId(`key-${rotatedSecret.split("_")[1]}`);
  page.once("dialog", (d) => d.accept());
  await newRow.getByRole("button", { name: "Revoke e2e backend" }).click();
  await expect(newRow).toContainText("Revoked");
  const refused = await fetch(`${baseURL}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${rotatedSecret}`, "content-type": "application/json" }, body: JSON.stringify({ model: "sim-small", messages: [{ role: "user", content: "hi" }] }) });
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { message: string }).message).toMatch(/revoked/);
});

test("models and providers pages list what the gateway routes to", async ({ page }) => {
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
  await page.goto("/default/models");
  await expect(page.getByTestId("model-sim-large")).toContainText("Vision");
  await expect(page.getByTestId("model-sim-large")).toContainText("131,072");
  await page.getByLabel("Alias").fill("bad alias!");
  await page.getByRole("button", { name: "Add model" }).click();
  await expect(page.getByTestId("model-alias-error")).toContainText("Use letters");
  await page.screenshot({ path: "test-results/models.png", fullPage: true });
  await page.goto("/default/providers");
  const sim = page.getByTestId("provider-simulator");
  await sim.getByRole("button", { name: "Test" }).click();
  // Five base models, and any fine-tuned ones an earlier spec made on the simulator.
  await expect(sim.getByRole("status")).toContainText(/OK, \d+ models/);
  await page.screenshot({ path: "test-results/providers.png", fullPage: true });
});
