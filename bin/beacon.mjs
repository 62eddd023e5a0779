#!/usr/bin/env node
// `npx beacon …`: the operator's command line. TypeScript sources run through tsx; nothing is prebuilt.
import { register } from "tsx/esm/api";

register();
await import("../packages/cli/src/main.ts");
