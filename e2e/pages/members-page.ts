import type { Page } from "@playwright/test";

export class MembersPage {
  constructor(private readonly page: Page) {}

  async goto(workspace: string) {
    await this.page.goto(`/${workspace}/members`);
  }

  /** Creates an invitation link and returns it (it is shown once). */
  async invite(role: "owner" | "admin" | "developer" | "viewer", email = "") {
    if (email) await this.page.getByLabel("Email (optional)").fill(email);
    await this.page.getByLabel("Role", { exact: true }).selectOption(role);
    await this.page.getByRole("button", { name: "Create invitation link" }).click();
    return this.page.getByTestId("invite-link").inputValue();
  }

  row(email: string) {
    return this.page.getByTestId(`member-${email}`);
  }
}
