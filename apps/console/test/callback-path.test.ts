import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "../src/app/signin/callback-path.ts";

describe("safeCallbackPath", () => {
  it.each([
    ["/devices?status=online", "/devices?status=online"],
    [undefined, "/"],
    ["https://evil.example.com/", "/"],
    ["//evil.example.com/", "/"],
    ["/\\evil.example.com", "/"],
    ["/signin?callbackUrl=/x", "/"],
  ])("sends %s to %s", (input, expected) => {
    expect(safeCallbackPath(input)).toBe(expected);
  });
});
