import { describe, expect, it } from "vitest";
import nextConfig from "../next.config.ts";
import { secureCookies } from "../src/server/secure-cookies.ts";

describe("the console's security headers", () => {
  it("sends CSP with frame-ancestors 'none', X-Frame-Options, nosniff and a same-origin Referrer-Policy on every path", async () => {
    const rules = await nextConfig.headers!();
    expect(rules).toHaveLength(1);
    expect(rules[0]!.source).toBe("/:path*");
    const headers = Object.fromEntries(rules[0]!.headers.map((h) => [h.key, h.value]));
    expect(headers["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
    expect(headers["Content-Security-Policy"]).toContain("default-src 'self'");
    expect(headers["Content-Security-Policy"]).toContain("object-src 'none'");
    expect(headers["X-Frame-Options"]).toBe("DENY");
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("same-origin");
  });

  it("marks the session cookie Secure when NEXTAUTH_URL is https, and only then", () => {
    expect(secureCookies("https://acs.example.com")).toBe(true);
    expect(secureCookies("http://localhost:3000")).toBe(false);
    expect(secureCookies(undefined)).toBe(false);
  });
});
