import { e2eAdmin } from "./admin";
import { expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
});

test("every area opens from the navigation with a heading and no console errors", async ({ page }) => {
  const nav = page.getByRole("navigation", { name: "Console" });
  const labels = await nav.getByRole("link").allTextContents();
  expect(labels).toEqual(["Playground", "Models", "Fine-tuning", "Batches", "Files", "API keys", "Usage", "Providers", "Members", "Settings", "Audit log"]);
  for (const label of labels) {
    await nav.getByRole("link", { name: label, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
    await expect(nav.getByRole("link", { name: label, exact: true })).toHaveAttribute("aria-current", "page");
  }
});

test("the theme toggle switches to dark and the choice survives a reload", async ({ page }) => {
  const html = page.locator("html");
  const wasDark = await html.evaluate((el) => el.classList.contains("dark"));
  await page.getByTestId("theme-toggle").click();
  await expect(html).toHaveClass(wasDark ? /^(?!.*dark)/ : /dark/);
  await page.reload();
  await expect(html).toHaveClass(wasDark ? /^(?!.*dark)/ : /dark/);
  await page.screenshot({ path: "test-results/shell-theme.png" });
});

test("settings show errors beside the field and save valid changes", async ({ page }) => {
  await page.goto("/default/settings");
  await page.getByLabel("Time zone").fill("Mars/Olympus");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("ws-tz-error")).toHaveText("Unknown time zone.");
  await page.getByLabel("Time zone").fill("Europe/Paris");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await expect(page.getByLabel("Time zone")).toHaveValue("Europe/Paris");
  await expect(page.getByTestId("audit-table")).toContainText("workspace.update");
});

test("a new workspace can be created and switched to", async ({ page }) => {
  await page.getByTestId("workspace-switcher").selectOption("__new");
  await expect(page).toHaveURL(/\/workspaces\/new/);
  await page.getByLabel("URL slug (optional)").fill("Bad Slug");
  await page.getByLabel("Name").fill("Research");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByTestId("ws-slug-error")).toContainText("lower-case");
  await page.getByLabel("URL slug (optional)").fill("");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/research\/playground/);
  await expect(page.getByTestId("workspace-name")).toHaveText("Research");
  await page.getByTestId("workspace-switcher").selectOption("default");
  await expect(page).toHaveURL(/\/default\/playground/);
});
