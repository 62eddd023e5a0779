import { describe, expect, it } from "vitest";
import { sessionIdFromCookie } from "../src/cwmp/session-cookie.ts";
import { parseRange } from "../src/files/byte-range.ts";

describe("session cookie", () => {
  it.each([
    ["beacon_session=abc", "abc"],
    ['$Version="0"; beacon_session="abc"; $Path="/"', "abc"],
    ['$Version="1"; other=1; beacon_session=abc;$Path=/', "abc"],
    ["other=1", null],
    ["", null],
  ])("reads %j", (header, expected) => {
    expect(sessionIdFromCookie(header)).toBe(expected);
  });
});

describe("byte ranges", () => {
  it.each([
    [undefined, null],
    ["bytes=0-9", { start: 0, end: 9 }],
    ["bytes=90-", { start: 90, end: 99 }],
    ["bytes=-10", { start: 90, end: 99 }],
    ["bytes=50-500", { start: 50, end: 99 }],
    ["bytes=100-", "unsatisfiable"],
    ["bytes=0-1,5-6", null],
    ["items=0-1", null],
  ])("%s of 100 bytes", (header, expected) => {
    expect(parseRange(header, 100)).toEqual(expected);
  });
});
