import type { SettingsResult } from "@beacon/api";

/** A server action's result as a promise react-query understands: its value, or an Error carrying the sentence. */
export async function settled<T>(result: Promise<SettingsResult<T>>): Promise<T> {
  const outcome = await result;
  if (outcome.ok) return outcome.value;
  if (outcome.status === 401) {
    const here = `${window.location.pathname}${window.location.search}`;
    window.location.assign(`/signin?callbackUrl=${encodeURIComponent(here)}`);
  }
  throw new Error(outcome.message);
}
