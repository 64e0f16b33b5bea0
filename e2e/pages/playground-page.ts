import { expect, type Page } from "@playwright/test";

/** The chat playground with its presets and kept conversations. */
export class PlaygroundPage {
  constructor(private readonly page: Page) {}

  /** Sends a message and waits until the answer is complete and the conversation kept. */
  async ask(message: string) {
    await this.page.getByLabel("Message", { exact: true }).fill(message);
    await this.page.keyboard.press("Enter");
    await expect(this.page.getByTestId("message-assistant").last()).toContainText(`You said: ${message}`, { timeout: 15_000 });
    await expect(this.page.getByTestId("keep-status")).toHaveText("Kept");
  }

  presets() {
    return this.page.getByTestId("presets-panel");
  }

  async savePreset(name: string) {
    await this.page.getByLabel("Save settings as").fill(name);
    await this.presets().getByRole("button", { name: /^(Save|Overwrite)$/ }).click();
    await expect(this.page.getByLabel("Preset", { exact: true }).locator("option", { hasText: name })).toHaveCount(1);
  }

  conversations() {
    return this.page.getByTestId("conversation-list");
  }

  conversation(title: string) {
    return this.conversations().getByTestId("conversation-item").filter({ hasText: title });
  }

  columns() {
    return this.page.getByTestId("compare-column");
  }
}
