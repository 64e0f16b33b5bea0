// The playground streams through the gateway under the member's session, and is metered.
import { e2eAdmin } from "./admin";
import { cli, expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
});

// A slower upstream for tests that look at an answer mid-stream: at 20 tokens a second a short
// answer is over in under a second, before a loaded machine gets to look.
const simOptions = (tokensPerSecond: number) => fetch(`${process.env.BORA_E2E_SIM_URL}/_sim/options`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tokensPerSecond }) });
async function slowly(tokensPerSecond: number, run: () => Promise<void>) {
  await simOptions(tokensPerSecond);
  try {
    await run();
  } finally {
    await simOptions(20);
  }
}

test("an answer streams in before it completes, shows its metrics, and is metered as playground", ({ page }) => slowly(6, () => streamsAndMeters(page)));

async function streamsAndMeters(page: import("@playwright/test").Page) {
  await page.getByLabel("Model").selectOption("sim-large");
  await page.getByLabel("System prompt").fill("Be brief.");
  await page.getByLabel("Message").fill("Tell me about the wind in Provence");
  await page.keyboard.press("Enter");
  const answer = page.getByTestId("message-assistant").last();
  // Partial text while the stream is still running: the Stop button is there.
  await expect(answer).toContainText("Hello from");
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  await expect(answer).not.toContainText("Provence");
  // Then the whole answer and its numbers.
  await expect(answer).toContainText("You said: Tell me about the wind in Provence");
  await expect(page.getByTestId("chat-metrics")).toContainText("sim-large");
  // 20 prompt tokens at $2/M and 13 completion tokens at $6/M.
  await expect(page.getByTestId("chat-metrics")).toContainText("Tokens 20 in · 13 out");
  await expect(page.getByTestId("chat-metrics")).toContainText("Cost $0.000118");
  await page.screenshot({ path: "test-results/playground.png" });

  await expect
    .poll(async () => {
      const events = JSON.parse((await cli("usage", "list", "--workspace", "default", "--json")).stdout) as { origin: string; model: string; status: string }[];
      return events.find((e) => e.origin === "playground" && e.model === "sim-large")?.status;
    })
    .toBe("ok");
}

// A slow upstream (4 tokens a second), so Stop lands mid-answer even on a loaded machine.
test("stop ends the stream and keeps what arrived; regenerate answers again", ({ page }) => slowly(4, () => stopAndRegenerate(page)));

async function stopAndRegenerate(page: import("@playwright/test").Page) {
  await page.getByLabel("Model").selectOption("sim-small");
  await page.getByLabel("Message").fill("A long question that takes a while to answer in full");
  await page.getByRole("button", { name: "Send" }).click();
  const answer = page.getByTestId("message-assistant").last();
  await expect(answer).toContainText("Hello from");
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
  const partial = await answer.innerText();
  await page.waitForTimeout(800);
  expect(await answer.innerText()).toBe(partial);
  expect(partial).not.toContain("in full");
  await page.getByRole("button", { name: "Regenerate" }).click();
  await expect(answer).toContainText("takes a while to answer in full", { timeout: 15_000 });
  await expect(page.getByTestId("message-user")).toHaveCount(1);
}

test("an invalid parameter is flagged beside its field and nothing is sent", async ({ page }) => {
  await page.getByLabel("Max tokens").fill("0");
  await page.getByLabel("Message").fill("hi");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("pg-max-tokens-error")).toHaveText("At least 1, or empty for the model's limit.");
  await expect(page.getByTestId("message-user")).toHaveCount(0);
});

test("an upstream failure shows the gateway's reason", async ({ page, consoleErrors }) => {
  consoleErrors.allow(/status of 502/); // the failure this test is about
  await fetch(`${process.env.BORA_E2E_SIM_URL}/_sim/faults`, { method: "POST", body: JSON.stringify({ kind: "500", times: 2 }) });
  await page.getByLabel("Model").selectOption("sim-small");
  await page.getByLabel("Message").fill("hi");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("chat-error")).toContainText("The upstream provider failed: Simulated 500");
  await expect(page.getByTestId("message-user")).toHaveCount(1); // the question stays, to retry
});

test("the demo model answers out of the box, and says what it is", async ({ page }) => {
  await expect(page.getByLabel("Model")).toHaveValue("bora-demo"); // written at first start, offline
  await expect(page.getByText(/random weights/)).toBeVisible();
  await page.getByLabel("Max tokens").fill("16");
  await page.getByLabel("Message").fill("Hello demo");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("chat-metrics")).toContainText("16 out");
  expect((await page.getByTestId("message-assistant").last().innerText()).trim().length).toBeGreaterThan(0);
});

test("answers render as Markdown, and Get code shows the exact request", async ({ page }) => {
  await page.getByLabel("Model").selectOption("sim-small");
  await page.getByLabel("Message").fill("make this **bold** and `code`");
  await page.keyboard.press("Enter");
  const answer = page.getByTestId("message-assistant").last();
  await expect(answer.locator("strong")).toHaveText("bold");
  await expect(answer.locator("code")).toHaveText("code");
  await page.getByLabel("Temperature: 0.70").fill("0.2");
  await page.getByRole("button", { name: "Get code" }).click();
  const panel = page.getByTestId("code-panel");
  await expect(panel.getByRole("tabpanel")).toContainText('"model": "sim-small"');
  await expect(panel.getByRole("tabpanel")).toContainText('"temperature": 0.2');
  await expect(panel.getByRole("tabpanel")).toContainText("make this **bold**");
  await panel.getByRole("tab", { name: "Python" }).click();
  await expect(panel.getByRole("tabpanel")).toContainText('os.environ["BORA_API_KEY"]');
  await page.screenshot({ path: "test-results/playground-code.png" });
});

const pixel = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk+A8AAQUBAScY42YAAAAASUVORK5CYII=", "base64");
const simRequests = async () => ((await (await fetch(`${process.env.BORA_E2E_SIM_URL}/_sim/requests`)).json()) as { data: { body: { model: string; messages: { content: unknown }[] } }[] }).data;

test("an attached image reaches the upstream as an image_url chunk; a model without vision gets a clear message and no request", async ({ page }) => {
  // Wrong format: refused beside the control.
  await page.getByTestId("attach-input").setInputFiles({ name: "logo.svg", mimeType: "image/svg+xml", buffer: Buffer.from("<svg/>") });
  await expect(page.getByTestId("attach-error")).toContainText("PNG, JPEG, WebP or GIF");

  await page.getByTestId("attach-input").setInputFiles({ name: "pixel.png", mimeType: "image/png", buffer: pixel });
  await expect(page.getByRole("img", { name: "Attachment 1" })).toBeVisible();
  await page.getByLabel("Model").selectOption("sim-small");
  const before = (await simRequests()).length;
  await page.getByLabel("Message").fill("What is in this picture?");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("attach-error")).toContainText("sim-small does not accept images");
  expect((await simRequests()).length).toBe(before);

  await page.getByLabel("Model").selectOption("sim-large");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("message-assistant").last()).toContainText("I see 1 image.");
  const sent = (await simRequests()).at(-1)!.body;
  expect(sent.model).toBe("sim-large");
  const content = sent.messages.at(-1)!.content as { type: string; image_url?: string }[];
  expect(content[1]!.type).toBe("image_url");
  expect(content[1]!.image_url).toMatch(/^data:image\/png;base64,iVBOR/);
  await expect(page.getByRole("img", { name: "Image 1 of the message" })).toBeVisible();
});

test("compare streams one message to two models side by side, each with its own numbers", ({ page }) => slowly(6, () => compareTwoModels(page)));

async function compareTwoModels(page: import("@playwright/test").Page) {
  await page.getByRole("button", { name: "Compare models" }).click();
  const columns = page.getByTestId("compare-column");
  await expect(columns).toHaveCount(2);
  await columns.nth(0).getByLabel("Model of this column").selectOption("sim-small");
  await columns.nth(1).getByLabel("Model of this column").selectOption("sim-large");
  await page.getByLabel("Message for every model").fill("Which of you is faster?");
  await page.keyboard.press("Enter");
  // Both stream at once: partial text in both while the Stop button is up.
  await expect(columns.nth(0).getByTestId("message-assistant")).toContainText("Hello from");
  await expect(columns.nth(1).getByTestId("message-assistant")).toContainText("Hello from");
  await expect(page.getByRole("button", { name: "Stop all" })).toBeVisible();
  await expect(columns.nth(0).getByTestId("compare-metrics")).toContainText("out · $", { timeout: 15_000 });
  await expect(columns.nth(1).getByTestId("compare-metrics")).toContainText("out · $");
  const [small, large] = await Promise.all([columns.nth(0).getByTestId("compare-metrics").innerText(), columns.nth(1).getByTestId("compare-metrics").innerText()]);
  const cost = (s: string) => Number(/\$([\d.]+)/.exec(s)![1]);
  expect(cost(large)).toBeGreaterThan(cost(small)); // the same tokens cost more on the large model
  await page.getByRole("button", { name: "Column" }).click();
  await expect(columns).toHaveCount(3);
  await page.screenshot({ path: "test-results/compare.png" });
}

test("structured output: the schema is checked as you type, and each answer passes or fails against it with the reason", async ({ page }) => {
  await page.getByLabel("Model").selectOption("sim-small");
  await page.getByLabel("Response format").selectOption("json_schema");
  const schema = page.getByLabel("JSON Schema");
  await schema.fill('{"type": "object", "properties": {');
  await expect(page.getByTestId("pg-schema-error")).toContainText("Not JSON");
  await page.getByLabel("Message", { exact: true }).fill("A city, please");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("message-user")).toHaveCount(0); // nothing sent with a broken schema

  await schema.fill(JSON.stringify({ type: "object", properties: { city: { type: "string" }, population: { type: "integer", minimum: 1000 } }, required: ["city", "population"] }));
  await expect(page.getByTestId("pg-schema-error")).toHaveCount(0);
  await page.getByLabel("Message", { exact: true }).fill("A city, please");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("structured-check")).toContainText("Pass: Matches the schema.");
  await expect(page.getByTestId("structured-check")).toContainText('"population": 1000');

  // The simulator ignores "pattern": its answer fails this schema, and the reason says where.
  await schema.fill(JSON.stringify({ type: "object", properties: { code: { type: "string", pattern: "^[0-9]{4}$" } }, required: ["code"] }));
  await page.getByLabel("Message", { exact: true }).fill("A code, please");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("structured-check")).toContainText("Fail: Does not match the schema: /code must match pattern");
});

test("a tool-call round trip: parallel calls shown as cards, answered by hand, and the conversation goes on", async ({ page }) => {
  await page.getByLabel("Model").selectOption("sim-small");
  const tools = [
    { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
    { type: "function", function: { name: "get_time", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
  ];
  await page.getByLabel("Tools (JSON)").fill("[{");
  await expect(page.getByTestId("pg-tools-error")).toContainText("Not JSON");
  await page.getByLabel("Tools (JSON)").fill(JSON.stringify(tools));
  await page.getByLabel("Tool choice").selectOption("any");
  await page.getByLabel("Message", { exact: true }).fill("Weather and time in Paris?");
  await page.keyboard.press("Enter");
  const cards = page.getByTestId("tool-call");
  await expect(cards).toHaveCount(2);
  await expect(cards.nth(0)).toContainText("get_weather");
  await expect(cards.nth(1)).toContainText("get_time");
  await page.getByLabel("Result of get_weather").fill('{"temperature": 21}');
  await page.getByLabel("Result of get_time").fill('{"time": "14:05"}');
  await page.getByRole("button", { name: "Send 2 results" }).click();
  await expect(page.getByTestId("message-assistant").last()).toContainText("The tool answered:");
  await expect(page.getByTestId("message-tool")).toHaveCount(2);
  const sent = ((await (await fetch(`${process.env.BORA_E2E_SIM_URL}/_sim/requests`)).json()) as { data: { body: { messages: { role: string; tool_call_id?: string; tool_calls?: { id: string }[] }[] } }[] }).data.at(-1)!.body.messages;
  const assistant = sent.find((m) => m.role === "assistant")!;
  const replies = sent.filter((m) => m.role === "tool");
  expect(replies.map((r) => r.tool_call_id)).toEqual(assistant.tool_calls!.map((c) => c.id));
});

test("code completion fills the gap between prefix and suffix, highlighted in place", async ({ page }) => {
  await page.getByRole("tab", { name: "Code completion" }).click();
  await page.getByLabel("Before the cursor (prompt)").fill("def add(a, b):");
  await page.getByLabel("After the cursor (suffix)").fill("\nprint(add(1, 2))");
  await page.getByLabel("After the cursor (suffix)").press("Control+Enter");
  await expect(page.getByTestId("fim-completion")).toHaveText("\n    return a + b\n");
  await expect(page.getByTestId("fim-result")).toContainText("def add(a, b):");
  await expect(page.getByTestId("fim-result")).toContainText("print(add(1, 2))");
  // Back to chat: the chat is still there.
  await page.getByRole("tab", { name: "Chat" }).click();
  await expect(page.getByLabel("Message", { exact: true })).toBeVisible();
});

test("the prompt's token count and cost update as you type", async ({ page }) => {
  await page.getByLabel("Model").selectOption("sim-large");
  const count = page.getByTestId("prompt-count");
  await page.getByLabel("Message", { exact: true }).fill("Hello");
  await expect(count).toContainText(/Prompt ≈ \d+ tokens of 131,072/);
  const few = Number(/≈ (\d+)/.exec(await count.innerText())![1]);
  await page.getByLabel("Message", { exact: true }).fill("Hello ".repeat(200));
  await expect.poll(async () => Number(/≈ ([\d,]+)/.exec(await count.innerText())?.[1]?.replace(/,/g, "") ?? 0)).toBeGreaterThan(few + 150);
});

test("works with the keyboard alone: reach the message box, send, read the answer", async ({ page }) => {
  // From the model picker, Shift+Tab walks back to the message box (disabled buttons are skipped).
  await page.getByLabel("Model").focus();
  for (let i = 0; i < 10; i++) {
    if (await page.evaluate(() => document.activeElement?.id === "chat-input")) break;
    await page.keyboard.press("Shift+Tab");
  }
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("chat-input");
  await page.keyboard.type("Typed without a mouse");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("message-assistant").last()).not.toBeEmpty();
});
