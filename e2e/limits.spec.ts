// Workspace limits, the monthly budget, the limit explainer and the audit log in the console.
// Its own workspace, so the caps set here touch no other test.
import { e2eAdmin } from "./admin";
import { cli, expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";

test("set a budget and workspace limits, see which limit stops a key, and find the changes in the audit log", async ({ page, baseURL }) => {
  test.setTimeout(60_000);
  expect((await cli("workspaces", "create", "--name", "Limits Team", "--slug", "limits-team")).code).toBe(0);
  const created = await cli("keys", "create", "--workspace", "limits-team", "--name", "svc", "--rpm", "2", "--monthly-spend", "5", "--json");
  const { secret, key } = JSON.parse(created.stdout) as { secret: string; key: { prefix: string } };

  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
  await page.goto("/limits-team/settings");

  // A bad threshold is named next to its field; nothing is saved.
  const budget = page.getByRole("form", { name: "Monthly budget" });
  await budget.getByLabel("Spend cap per month (USD)").fill("20");
  await budget.getByLabel("Alert thresholds (%)").fill("80, 150");
  await budget.getByRole("button", { name: "Save budget" }).click();
  await expect(page.getByTestId("budget-thresholds-error")).toContainText("between 1 and 99%");
  await budget.getByLabel("Alert thresholds (%)").fill("80, 95");
  await budget.getByLabel("Webhook URL").fill("https://hooks.example.com/bora");
  await budget.getByRole("button", { name: "Save budget" }).click();
  await expect(budget.getByRole("status")).toHaveText("Saved.");
  await expect(page.getByTestId("webhook-secret")).toContainText("whsec_");
  await expect(page.getByTestId("budget-spent")).toContainText("of $20.00");

  // A workspace limit on one model, added with the keyboard.
  const limits = page.getByRole("form", { name: "Workspace limits" });
  await limits.getByRole("button", { name: "+ Add a limit" }).focus();
  await page.keyboard.press("Enter");
  await limits.getByLabel("Model of workspace limit 1").selectOption("sim-small");
  await limits.getByLabel("Requests per minute, workspace limit 1").fill("50");
  await limits.getByRole("button", { name: "Save limits" }).click();
  await expect(limits.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await expect(page.getByLabel("Requests per minute, workspace limit 1")).toHaveValue("50");

  // Two calls use up the key's 2 requests a minute; the explainer says so.
  for (let i = 0; i < 2; i++) {
    const r = await fetch(`${baseURL}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: JSON.stringify({ model: "sim-small", messages: [{ role: "user", content: "hi" }] }) });
    expect(r.status).toBe(200);
  }
  await page.goto("/limits-team/keys");
  await page.getByTestId(`key-${key.prefix}`).getByRole("link", { name: "svc" }).click();
  await expect(page.getByRole("heading", { name: "svc" })).toBeVisible();
  await page.getByLabel("Model", { exact: true }).selectOption("sim-small");
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("explainer-verdict")).toContainText("refused by Key: requests per minute");
  const rows = page.getByTestId("explainer-row");
  await expect(rows).toHaveCount(4); // key RPM, workspace RPM on sim-small, key spend, workspace spend
  await expect(rows.nth(1)).toContainText("Workspace on sim-small");
  await expect(rows.nth(1)).toContainText("48 requests");
  await page.screenshot({ path: "test-results/limit-explainer.png", fullPage: true });

  // The audit log, filtered to the workspace's limits.
  await page.goto("/limits-team/audit");
  await page.getByLabel("What").selectOption("workspace.limits");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=workspace\.limits/);
  const entries = page.getByTestId("audit-row");
  await expect(entries).toHaveCount(1);
  await entries.first().locator("summary").click();
  await expect(entries.first()).toContainText("workspace.limits.update");
  await expect(entries.first()).toContainText("sim-small");
  await page.getByLabel("What").selectOption("");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("audit-log")).toContainText("workspace.budget.update");
  await expect(page.getByTestId("audit-log")).not.toContainText("whsec_");
  await page.screenshot({ path: "test-results/audit-log.png", fullPage: true });
});
