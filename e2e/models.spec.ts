// The models page's local models: the demo GGUF listed with its size, loaded (memory shown) and
// unloaded from the keyboard; a copied file found by Rescan and deleted after a confirmation.
import fs from "node:fs";
import path from "node:path";
import { e2eAdmin } from "./admin";
import { expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
});

test("the demo model loads and unloads, with its memory shown while loaded", async ({ page }) => {
  await page.goto("/default/models");
  const row = page.getByTestId("local-bora-demo.gguf");
  await expect(row).toBeVisible();
  await expect(row.getByTestId("local-size")).toHaveText(/\d+(\.\d)? (KiB|MiB)/);
  await expect(row).toContainText("as bora-demo");
  if ((await row.getByTestId("local-state").textContent()) === "loaded") await row.getByRole("button", { name: "Unload bora-demo.gguf" }).click();
  await expect(row.getByTestId("local-state")).toHaveText("unloaded");
  await expect(row.getByTestId("local-memory")).toHaveText("—");

  // From the keyboard: focus the button, press Enter.
  await row.getByRole("button", { name: "Load bora-demo.gguf" }).focus();
  await page.keyboard.press("Enter");
  await expect(row.getByTestId("local-state")).toHaveText("loaded");
  await expect(row.getByTestId("local-memory")).toHaveText(/\d+(\.\d)? MiB/);
  await page.screenshot({ path: "test-results/models-local-loaded.png", fullPage: true });

  await row.getByRole("button", { name: "Unload bora-demo.gguf" }).focus();
  await page.keyboard.press("Enter");
  await expect(row.getByTestId("local-state")).toHaveText("unloaded");
  await expect(row.getByTestId("local-memory")).toHaveText("—");

  // From a small laptop's width up, the row's actions stay inside the table's card, none cut off.
  for (const width of [1024, 1280, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    const fit = await page.getByTestId("local-models-table").evaluate((t) => ({ table: t.scrollWidth, card: t.parentElement!.clientWidth, cardRight: t.parentElement!.getBoundingClientRect().right }));
    expect(fit.table, `local models table at ${width} px`).toBeLessThanOrEqual(fit.card);
    const del = (await row.getByRole("button", { name: "Delete bora-demo.gguf" }).boundingBox())!;
    expect(del.x + del.width, `Delete at ${width} px`).toBeLessThanOrEqual(fit.cardRight);
  }
});

test("Rescan finds a new GGUF file, and Delete removes it after asking", async ({ page }) => {
  const dir = path.join(process.env.BORA_E2E_DATA_DIR!, "models");
  fs.copyFileSync(path.join(dir, "bora-demo.gguf"), path.join(dir, "e2e-copy.gguf"));
  await page.goto("/default/models");
  await page.getByRole("button", { name: "Rescan" }).click();
  await expect(page.getByRole("status")).toHaveText("Added e2e-copy.");
  const row = page.getByTestId("local-e2e-copy.gguf");
  await expect(row).toContainText("as e2e-copy");
  await expect(page.getByTestId("model-e2e-copy")).toContainText("local/e2e-copy.gguf");

  // Dismissed first: nothing happens.
  page.once("dialog", (d) => void d.dismiss());
  await row.getByRole("button", { name: "Delete e2e-copy.gguf" }).click();
  await expect(row).toBeVisible();
  page.once("dialog", (d) => {
    expect(d.message()).toMatch(/Delete e2e-copy.gguf from the models dir\? .* e2e-copy loses its local deployment/);
    void d.accept();
  });
  await row.getByRole("button", { name: "Delete e2e-copy.gguf" }).click();
  await expect(row).toHaveCount(0);
  expect(fs.existsSync(path.join(dir, "e2e-copy.gguf"))).toBe(false);
  // The alias stays, with no deployment left.
  await expect(page.getByTestId("model-e2e-copy")).not.toContainText("local/");
});
