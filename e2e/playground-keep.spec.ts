// Keeping work in the playground: presets shared by the workspace, each member's conversations
// kept and reopened, and compare on the same model with different settings.
import fs from "node:fs";
import type { Page } from "@playwright/test";
import { e2eAdmin } from "./admin";
import { expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";
import { PlaygroundPage } from "./pages/playground-page";

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
  // Deleting asks first: say yes.
  page.on("dialog", (d) => void d.accept());
});

test("a preset is saved, still there after a reload, and applying it brings its settings back", async ({ page }) => {
  test.setTimeout(45_000); // two reloads and two saves, on a shared machine
  const pg = new PlaygroundPage(page);
  await page.getByLabel("Model").selectOption("sim-large");
  await page.getByLabel("System prompt").fill("Answer in French.");
  await page.getByLabel(/^Temperature/).fill("0.2");
  await page.getByLabel("Response format").selectOption("json_object");
  await pg.savePreset("French, cold");
  // The same name again overwrites, and the button says so.
  await page.getByLabel("Save settings as").fill("French, cold");
  await expect(pg.presets().getByRole("button", { name: "Overwrite" })).toBeVisible();
  await page.screenshot({ path: "/tmp/playground-presets.png" });

  await page.reload();
  await expect(page.getByLabel("System prompt")).toHaveValue("");
  await expect(page.getByLabel("Response format")).toHaveValue("text");
  // With the keyboard: choose it, Tab to Apply, Enter.
  await page.getByLabel("Preset", { exact: true }).selectOption({ label: "French, cold" });
  await page.getByLabel("Preset", { exact: true }).focus();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Apply preset French, cold" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(pg.presets().getByRole("status")).toHaveText("Applied French, cold.");
  await expect(page.getByLabel("Model")).toHaveValue("sim-large");
  await expect(page.getByLabel("System prompt")).toHaveValue("Answer in French.");
  await expect(page.getByLabel("Temperature: 0.20")).toBeVisible();
  await expect(page.getByLabel("Response format")).toHaveValue("json_object");

  await pg.presets().getByRole("button", { name: "Delete preset French, cold" }).click();
  await expect(pg.presets()).toContainText("No presets yet");
});

test("a conversation is kept after its answer, listed after a reload, reopens with its messages and settings, and can be exported, renamed and deleted", async ({ page }) => {
  test.setTimeout(60_000); // two answers and three reloads
  const pg = new PlaygroundPage(page);
  await page.getByLabel("Model").selectOption("sim-small");
  await page.getByLabel("System prompt").fill("Be brief.");
  await pg.ask("What is the mistral wind?");

  await page.reload();
  await expect(page.getByTestId("message-user")).toHaveCount(0);
  const item = pg.conversation("What is the mistral wind?");
  await expect(item).toHaveCount(1);
  await expect(pg.conversations().getByTestId("conversation-item").first()).toContainText("What is the mistral wind?"); // most recent first
  await item.getByRole("link").click();
  await expect(page).toHaveURL(/\?conversation=/);
  await expect(page.getByTestId("message-user")).toHaveCount(1);
  await expect(page.getByTestId("message-user")).toContainText("What is the mistral wind?");
  await expect(page.getByTestId("message-assistant")).toContainText("You said: What is the mistral wind?");
  await expect(page.getByLabel("Model")).toHaveValue("sim-small");
  await expect(page.getByLabel("System prompt")).toHaveValue("Be brief.");
  await expect(item.getByRole("link")).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("keep-status")).toHaveText("Kept");

  // Its JSONL line, from the reopened conversation.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download as JSONL" }).click()]);
  const line = JSON.parse(fs.readFileSync((await download.path())!, "utf8")) as { messages: { role: string; content: string }[] };
  expect(line.messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
  expect(line.messages[1]!.content).toBe("What is the mistral wind?");

  // Going on: the same conversation is kept, not a second one.
  await pg.ask("And the tramontane?");
  await page.reload();
  await expect(pg.conversation("What is the mistral wind?")).toHaveCount(1);
  await expect(page.getByTestId("message-user")).toHaveCount(2);

  // Renamed with the keyboard.
  await pg.conversation("What is the mistral wind?").getByRole("button", { name: "Rename What is the mistral wind?" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Title of the conversation")).toBeFocused();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Winds of Provence");
  await page.keyboard.press("Enter");
  await expect(pg.conversation("Winds of Provence")).toHaveCount(1);
  await page.screenshot({ path: "/tmp/playground-conversations.png" });

  await pg.conversation("Winds of Provence").getByRole("button", { name: "Delete Winds of Provence" }).click();
  await expect(pg.conversation("Winds of Provence")).toHaveCount(0);
  await expect(page.getByTestId("message-user")).toHaveCount(0); // the open one went: a new one starts
  await expect(page).not.toHaveURL(/conversation=/);
  await page.reload();
  await expect(pg.conversation("Winds of Provence")).toHaveCount(0);
  await expect(page.getByText("That conversation was not found")).toHaveCount(0);
});

test("compare runs the same model twice at two temperatures, both streaming at once", async ({ page }) => {
  // A slower upstream, so both columns are seen mid-answer together even on a loaded machine.
  await simOptions(4);
  try {
    await compareTemperatures(page);
  } finally {
    await simOptions(20);
  }
});

async function compareTemperatures(page: Page) {
  test.setTimeout(45_000); // a slowed upstream, on a shared machine
  const pg = new PlaygroundPage(page);
  await page.getByRole("button", { name: "Compare models" }).click();
  const [left, right] = [pg.columns().nth(0), pg.columns().nth(1)];
  for (const [column, temperature] of [
    [left, "0"],
    [right, "1"],
  ] as const) {
    await column.getByLabel("Model of this column").selectOption("sim-small");
    await column.getByRole("button", { name: /^Settings for sim-small/ }).click();
    await column.getByLabel(/^Temperature/).fill(temperature);
  }
  await left.getByLabel("System prompt").fill("Be exact.");
  await expect(left.getByTestId("column-summary")).toContainText("Temperature 0.00");
  await expect(right.getByTestId("column-summary")).toContainText("Temperature 1.00");
  const before = (await simRequests()).length;
  await page.getByLabel("Message for every model").fill("Same question, two temperatures");
  await page.keyboard.press("Enter");
  // Both stream at once: Stop all is up while each column shows part of its answer.
  await expect(page.getByRole("button", { name: "Stop all" })).toBeVisible();
  await expect(left.getByTestId("message-assistant")).toContainText("Hello from");
  await expect(right.getByTestId("message-assistant")).toContainText("Hello from");
  await expect(left.getByTestId("compare-metrics")).toContainText("out · $", { timeout: 15_000 });
  await expect(right.getByTestId("compare-metrics")).toContainText("out · $");
  await page.screenshot({ path: "/tmp/playground-compare.png" });

  const sent = (await simRequests()).slice(before).filter((r) => r.path.endsWith("/chat/completions")).map((r) => r.body);
  expect(sent.map((b) => b.model)).toEqual(["sim-small", "sim-small"]);
  expect(sent.map((b) => b.temperature).sort()).toEqual([0, 1]);
  const cold = sent.find((b) => b.temperature === 0)!;
  expect(cold.messages[0]).toEqual({ role: "system", content: "Be exact." });
}

const simOptions = (tokensPerSecond: number) => fetch(`${process.env.BORA_E2E_SIM_URL}/_sim/options`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tokensPerSecond }) });

const simRequests = async () => ((await (await fetch(`${process.env.BORA_E2E_SIM_URL}/_sim/requests`)).json()) as { data: { path: string; body: { model: string; temperature: number; messages: { role: string; content: unknown }[] } }[] }).data;
