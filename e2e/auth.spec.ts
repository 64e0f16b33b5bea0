import { e2eAdmin } from "./admin";
import { expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";

test("a wrong password gets a clear message and no session", async ({ page, context, consoleErrors }) => {
  // The browser logs the sign-in endpoint's 401: that refusal is what this test is about.
  consoleErrors.allow(/status of 401/);
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(e2eAdmin.email, "not the password");
  await expect(login.error()).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/login/);
  const cookies = await context.cookies();
  expect(cookies.some((c) => c.name.includes("session-token"))).toBe(false);
  await page.goto("/default/members");
  await expect(page).toHaveURL(/\/login/);
});

test("the admin signs in with the keyboard, sees the shell, and signs out", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").focus();
  await page.keyboard.type(e2eAdmin.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(e2eAdmin.password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/default\/playground$/);
  await expect(page.getByTestId("user-email")).toHaveText(e2eAdmin.email);
  await expect(page.getByRole("navigation", { name: "Console" }).getByRole("link")).toHaveCount(11);
  await page.screenshot({ path: "test-results/shell.png" });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/default/playground");
  await expect(page).toHaveURL(/\/login/);
});
