import { describe, expect, it } from "vitest";
import { createWorkspaceInput, slugify, updateWorkspaceInput } from "./workspaces";

describe("slugify", () => {
  it("makes URL-safe slugs from names", () => {
    expect(slugify("Search Team")).toBe("search-team");
    expect(slugify("  Équipe Données ")).toBe("equipe-donnees");
    expect(slugify("!!!")).toBe("workspace");
  });

  it("never yields a reserved slug", () => {
    expect(slugify("Login")).toBe("login-ws");
    expect(slugify("API")).toBe("api-ws");
  });

  it("caps slugs at 40 characters without a trailing dash", () => {
    const slug = slugify("a".repeat(39) + " b c");
    expect(slug.length).toBeLessThanOrEqual(40);
    expect(slug.endsWith("-")).toBe(false);
  });
});

describe("workspace input", () => {
  it("names the field that is wrong", () => {
    const r = createWorkspaceInput.safeParse({ name: "", slug: "Bad Slug!" });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path[0]).sort()).toEqual(["name", "slug"]);
  });

  it("refuses reserved slugs and unknown time zones", () => {
    expect(createWorkspaceInput.safeParse({ name: "x", slug: "login" }).success).toBe(false);
    expect(updateWorkspaceInput.safeParse({ timeZone: "Mars/Olympus" }).success).toBe(false);
    expect(updateWorkspaceInput.safeParse({ timeZone: "Europe/Paris" }).success).toBe(true);
  });
});
