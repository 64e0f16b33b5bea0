// Fine-tuning from the console: the wizard finds the bad line of a dataset, the fixed dataset
// becomes a job, the job page follows it live (the loss chart grows) to SUCCESS, and the new
// model is served: in /v1/models and in the playground.
import { e2eAdmin } from "./admin";
import { cli, expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";

const good = (i: number) => JSON.stringify({ messages: [{ role: "user", content: `Question ${i}?` }, { role: "assistant", content: `Answer ${i}.` }] });
const lines = Array.from({ length: 24 }, (_, i) => good(i));
const broken = [...lines.slice(0, 6), JSON.stringify({ messages: [{ role: "user", content: "Where is the answer?" }] }), ...lines.slice(7)];
const file = (name: string, rows: string[]) => ({ name, mimeType: "application/jsonl", buffer: Buffer.from(rows.join("\n") + "\n") });

test.setTimeout(120_000);

test("the wizard shows a dataset's bad line, and the fixed dataset trains live into a model the playground answers with", async ({ page, baseURL }) => {
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
  await page.goto("/default/fine-tuning");
  await page.getByRole("link", { name: "New job" }).click();
  await expect(page).toHaveURL(/\/default\/fine-tuning\/new$/);

  await page.locator("#dataset").setInputFiles(file("qa.jsonl", broken));
  const problem = page.getByTestId("dataset-error");
  await expect(problem).toHaveCount(1);
  await expect(problem).toContainText("Line 7");
  await expect(problem).toContainText(/assistant/);
  await expect(problem).toContainText("Where is the answer?");
  await expect(page.getByRole("button", { name: "Continue" })).toBeDisabled();
  await page.screenshot({ path: "test-results/fine-tuning-wizard-error.png", fullPage: true });

  await page.locator("#dataset").setInputFiles(file("qa.jsonl", lines));
  await expect(page.getByTestId("dataset-report")).toContainText("Every line is a valid conversation");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Base model").selectOption("sim-small");
  await page.getByLabel("Training steps").fill("60");
  await page.getByLabel("Suffix (optional)").fill("qa");
  await expect(page.getByTestId("estimate")).toContainText("training tokens");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Start fine-tuning" }).click();
  await expect(page).toHaveURL(/\/default\/fine-tuning\/[0-9a-f-]{36}$/, { timeout: 30_000 });

  // The chart gains points while the job runs, without a reload.
  const chart = page.getByTestId("loss-chart");
  await expect(chart).toBeVisible({ timeout: 30_000 });
  const first = Number(await chart.getAttribute("data-points"));
  await expect.poll(async () => Number(await chart.getAttribute("data-points")), { timeout: 30_000 }).toBeGreaterThan(first);
  await expect(page.getByTestId("job-status")).toHaveText("success", { timeout: 30_000 });
  await expect(page.getByTestId("job-timeline")).toContainText("validated");
  await page.screenshot({ path: "test-results/fine-tuning-job.png", fullPage: true });

  const link = page.getByRole("link", { name: /Try ft:sim-small:qa:/ });
  const model = (await link.innerText()).replace(/^Try | in the playground$/g, "");
  const { secret } = JSON.parse((await cli("keys", "create", "--workspace", "default", "--name", "fine-tune check", "--json")).stdout) as { secret: string };
  const listed = (await (await fetch(`${baseURL}/v1/models`, { headers: { authorization: `Bearer ${secret}` } })).json()) as { data: { id: string }[] };
  expect(listed.data.map((m) => m.id)).toContain(model);

  await link.click();
  await expect(page).toHaveURL(/playground/);
  await expect(page.getByLabel("Model")).toHaveValue(model);
  await page.getByLabel("Message").fill("Question 3?");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("message-assistant").last()).toContainText("You said: Question 3?", { timeout: 30_000 });
  await expect(page.getByTestId("chat-metrics")).toContainText(model);
});

test("playground conversations become a dataset that the wizard can pick and check", async ({ page }) => {
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
  await page.getByLabel("Model").selectOption("sim-small");
  await page.getByLabel("Dataset").fill("e2e-playground");
  for (const [n, question] of ["What is Bora?", "And its console?"].entries()) {
    await page.getByLabel("Message", { exact: true }).fill(question);
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("message-assistant").last()).toContainText(`You said: ${question}`, { timeout: 30_000 });
    await page.getByRole("button", { name: "Add to dataset" }).click();
    await expect(page.getByTestId("dataset-panel").getByRole("status")).toHaveText(`Added: e2e-playground.jsonl has ${n + 1} line${n ? "s" : ""}.`);
  }

  await page.screenshot({ path: "test-results/playground-dataset.png" });
  await page.goto("/default/fine-tuning/new");
  const pick = page.getByLabel("Or pick an uploaded file");
  const option = pick.locator("option", { hasText: "e2e-playground.jsonl" });
  await pick.selectOption({ value: (await option.getAttribute("value"))! });
  await expect(page.getByTestId("dataset-report")).toContainText("Every line is a valid conversation");
  await expect(page.getByTestId("dataset-report").locator("dd").first()).toHaveText("2");
});
