import { describe, expect, it } from "vitest";
import { imageProblem, urlProblem } from "./images";

describe("image checks", () => {
  it("accepts the formats and sizes the API takes", () => {
    expect(imageProblem({ name: "a.png", type: "image/png", size: 1000 })).toBeUndefined();
    expect(imageProblem({ name: "a.svg", type: "image/svg+xml", size: 1000 })).toMatch(/PNG, JPEG, WebP or GIF/);
    expect(imageProblem({ name: "big.jpg", type: "image/jpeg", size: 11 * 1024 * 1024 })).toMatch(/11\.0 MB; the limit is 10 MB/);
  });

  it("takes http(s) URLs only", () => {
    expect(urlProblem("https://example.com/cat.png")).toBeUndefined();
    expect(urlProblem("file:///etc/passwd")).toMatch(/http/);
    expect(urlProblem("not a url")).toMatch(/not a URL/);
  });
});
