#!/usr/bin/env node
// `npx beacon …`: the operator's command line. TypeScript sources run through tsx; nothing is prebuilt.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

// The Prisma client is generated code (not committed); `npm ci` generates it, but make sure.
if (!existsSync(fileURLToPath(new URL("../packages/db/src/generated/client.ts", import.meta.url)))) {
  const generate = fileURLToPath(new URL("../scripts/prisma-generate.mjs", import.meta.url));
  const result = spawnSync(process.execPath, [generate], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

register();
await import("../packages/cli/src/main.ts");
