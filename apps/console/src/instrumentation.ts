import { consoleConfig } from "./server/config.ts";

/** Runs once when the server starts: a wrong environment stops it with a sentence instead of failing per request. */
export function register() {
  consoleConfig();
}
