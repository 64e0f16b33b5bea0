// A batch from the console: CSV + template → preview → submit → the progress bar moves → the
// results, joined back onto the CSV, download.
import fs from "node:fs";
import { e2eAdmin } from "./admin";
import { expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";

const cities = ["Lyon", "Graz", "Porto", "Turku", "Gdansk", "Bilbao"];
const csv = ["city,country", ...Array.from({ length: 240 }, (_, i) => `${cities[i % cities.length]} ${i},Somewhere`)].join("\n") + "\n";
const simOptions = (options: Record<string, number>) => fetch(`${process.env.BORA_E2E_SIM_URL}/_sim/options`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(options) });

test.setTimeout(120_000);

test("a CSV and a template become a batch whose progress moves and whose answers download joined onto the CSV", async ({ page }) => {
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
  await page.goto("/default/batches");
  await page.getByRole("link", { name: "New batch" }).click();

  await page.getByLabel("CSV file").setInputFiles({ name: "cities.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByText("240 rows; columns: city, country")).toBeVisible();
  await page.getByLabel("Model").selectOption("sim-small");
  await page.getByLabel("Prompt template").fill("Describe {{city}} in {{region}}.");
  await expect(page.getByTestId("template-error")).toHaveText("Not a column of the CSV: region.");
  await page.getByLabel("Prompt template").fill("Describe {{city}} in {{country}}.");
  await page.getByLabel("Max tokens per answer").fill("20");
  await page.getByRole("button", { name: "Preview" }).click();

  const preview = page.getByTestId("batch-preview");
  await expect(preview.locator("li")).toHaveCount(5);
  await expect(preview.locator("li").first()).toContainText("Describe Lyon 0 in Somewhere.");
  await expect(preview.getByRole("link", { name: "Open in playground" }).first()).toHaveAttribute("href", /playground\?model=sim-small&prompt=Describe\+Lyon\+0/);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByTestId("batch-estimate")).toContainText("50% off");

  // A slower upstream, so the run (240 lines, 32 at a time: about 8 s) lasts several of the page's
  // 1 s refreshes and the bar is seen partway.
  await simOptions({ latencyMs: 1000 });
  try {
    await page.getByRole("button", { name: "Submit batch" }).click();
    await expect(page).toHaveURL(/\/default\/batches\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    const bar = page.getByRole("progressbar", { name: "Batch progress" });
    await expect.poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 30_000 }).toBeGreaterThan(0);
    const partway = Number(await bar.getAttribute("aria-valuenow"));
    expect(partway).toBeLessThan(240);
    await page.screenshot({ path: "test-results/batch-running.png", fullPage: true });
    await expect(page.getByTestId("batch-status")).toHaveText("success", { timeout: 60_000 });
  } finally {
    await simOptions({ latencyMs: 0 });
  }
  await expect(page.getByTestId("batch-succeeded")).toHaveText("240");
  await page.screenshot({ path: "test-results/batch-done.png", fullPage: true });

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV with answers" }).click();
  const file = await (await download).path();
  const rows = fs.readFileSync(file, "utf8").trim().split(/\r?\n/);
  expect(rows[0]).toBe("city,country,answer,error");
  expect(rows).toHaveLength(241);
  expect(rows[1]).toMatch(/^Lyon 0,Somewhere,.*You said: Describe Lyon 0 in Somewhere\./);
  expect(rows[240]).toMatch(/^Bilbao 239,Somewhere,.*Describe Bilbao 239 in Somewhere/);

  // The CSV, the requests and the batch's output are the workspace's files now.
  await page.goto("/default/files");
  const files = page.getByTestId("files-table");
  await expect(files).toContainText("cities.csv");
  await expect(files).toContainText("cities.requests.jsonl");
  await expect(files).toContainText(/batch-[0-9a-f-]+-output\.jsonl/);
});

test("a JSONL file of requests becomes a batch too", async ({ page }) => {
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
  await page.goto("/default/batches/new");
  await page.getByLabel("A JSONL file of requests").check();
  const lines = ["alpha", "beta", "gamma"].map((w) => JSON.stringify({ custom_id: w, body: { messages: [{ role: "user", content: `Say ${w}` }], max_tokens: 10 } }));
  await page.getByLabel("JSONL file", { exact: true }).setInputFiles({ name: "words.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(lines.join("\n")) });
  await expect(page.getByText("3 requests")).toBeVisible();
  await page.getByLabel("Model").selectOption("sim-small");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("batch-preview").locator("li")).toHaveCount(3);
  await page.getByRole("button", { name: "Continue" }).click();
  // The upstream refuses one of the three: it lands in the error file, and can be retried.
  await fetch(`${process.env.BORA_E2E_SIM_URL}/_sim/faults`, { method: "POST", body: JSON.stringify({ kind: "400", times: 1, model: "sim-small" }) });
  await page.getByRole("button", { name: "Submit batch" }).click();
  await expect(page).toHaveURL(/\/default\/batches\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  const first = page.url();
  await expect(page.getByTestId("batch-status")).toHaveText("success", { timeout: 30_000 });
  await expect(page.getByTestId("batch-succeeded")).toHaveText("2");
  await expect(page.getByTestId("batch-failed")).toHaveText("1");
  await expect(page.getByTestId("batch-errors")).toContainText("bad_request:upstream");
  await expect(page.getByRole("link", { name: "Error file" })).toBeVisible();

  await page.getByRole("button", { name: "Retry 1 failed as a new batch" }).click();
  await expect.poll(() => page.url(), { timeout: 30_000 }).not.toBe(first);
  await expect(page.getByTestId("batch-status")).toHaveText("success", { timeout: 30_000 });
  await expect(page.getByTestId("batch-succeeded")).toHaveText("1");
  await expect(page.getByTestId("batch-failed")).toHaveText("0");
});
