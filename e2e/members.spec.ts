// Invitations, roles and workspace isolation, through the console; the CLI sees the same data.
import { e2eAdmin } from "./admin";
import { cli, expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";
import { MembersPage } from "./pages/members-page";

test("invite a viewer by link; the link works once; the viewer can change nothing and sees no other workspace", async ({ page, browser }) => {
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
  // A private workspace the viewer must never see.
  expect((await cli("workspaces", "create", "--name", "Secret Ops", "--slug", "secret-ops")).code).toBe(0);

  const members = new MembersPage(page);
  await members.goto("default");
  const link = await members.invite("viewer", "vera@e2e.test");
  expect(link).toMatch(/\/invite\/[\w-]{40,}$/);

  // The invitee opens the link in a fresh browser and creates an account.
  const guest = await browser.newContext();
  const vera = await guest.newPage();
  await vera.goto(link);
  await expect(vera.getByRole("heading", { name: "Join Default" })).toBeVisible();
  await vera.getByLabel("Your name").fill("Vera");
  await vera.getByLabel("Password").fill("short");
  await vera.getByRole("button", { name: "Create account and join" }).click();
  await expect(vera.getByTestId("signup-password-error")).toContainText("at least 8");
  await vera.getByLabel("Password").fill("vera's long password");
  await vera.getByRole("button", { name: "Create account and join" }).click();
  await expect(vera).toHaveURL(/\/default\/playground/);
  await expect(vera.getByTestId("user-email")).toHaveText("vera@e2e.test");

  // As a viewer: no invite form, no role controls, settings read-only.
  await vera.goto("/default/members");
  await expect(vera.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
  await expect(vera.getByRole("button", { name: "Create invitation link" })).toHaveCount(0);
  await expect(vera.getByRole("combobox", { name: /Role of/ })).toHaveCount(0);
  await vera.goto("/default/settings");
  await expect(vera.getByLabel("Name")).toBeDisabled();

  // Changing the workspace in the URL reveals nothing.
  const res = await vera.goto("/secret-ops/members");
  expect(res?.status()).toBe(404);
  await expect(vera.getByTestId("not-found")).toBeVisible();
  const options = await vera.getByTestId("workspace-switcher").locator("option").allTextContents().catch(() => []);
  expect(options.join()).not.toContain("Secret Ops");

  // The link is used up.
  const other = await (await browser.newContext()).newPage();
  await other.goto(link);
  await expect(other.getByRole("heading", { name: "This invitation cannot be used" })).toBeVisible();

  // The admin's console and the CLI agree on who is a member, with which role.
  await members.goto("default");
  await expect(members.row("vera@e2e.test")).toContainText("Viewer");
  const listed = JSON.parse((await cli("members", "list", "--workspace", "default", "--json")).stdout) as { email: string; role: string }[];
  expect(listed.find((m) => m.email === "vera@e2e.test")?.role).toBe("viewer");

  // Promote Vera from the console; the CLI sees it at once.
  await page.getByRole("combobox", { name: "Role of vera@e2e.test" }).selectOption("developer");
  await expect.poll(async () => JSON.parse((await cli("members", "list", "--workspace", "default", "--json")).stdout).find((m: { email: string }) => m.email === "vera@e2e.test")?.role).toBe("developer");
  await guest.close();
});

test("the last owner cannot be removed, and the console says why", async ({ page }) => {
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(e2eAdmin.email, e2eAdmin.password);
  await expect(page).toHaveURL(/playground/);
  await page.goto("/default/members");
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: `Remove ${e2eAdmin.email}` }).click();
  await expect(page.getByTestId("members-error")).toHaveText("The last owner cannot be removed.");
  await expect(page.getByTestId(`member-${e2eAdmin.email}`)).toBeVisible();
});
