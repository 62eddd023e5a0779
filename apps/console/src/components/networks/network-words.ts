/**
 * The colours of checkout outcomes and states; their words are in the `networks` and `rooms` message namespaces
 * (networks.outcomes.<status>, rooms.checkoutStates.<state>).
 */

export const OUTCOME_STYLES: Record<string, string> = {
  changed: "bg-emerald-100 text-emerald-900",
  unverifiable: "bg-emerald-50 text-emerald-900",
  failed: "bg-red-100 text-red-900",
};

export const CHECKOUT_STATE_STYLES: Record<string, string> = {
  pending: "bg-sky-100 text-sky-900",
  done: "bg-emerald-100 text-emerald-900",
  incomplete: "bg-amber-100 text-amber-900",
  failed: "bg-red-100 text-red-900",
};

/** Known keys of a message group, so that a value the server adds later shows as itself instead of a key path. */
export const KNOWN_BANDS = new Set(["2.4GHz", "5GHz", "6GHz", "unknown"]);
export const KNOWN_ROLES = new Set(["main", "guest", "backhaul", "extra"]);
export const KNOWN_SERVICES = new Set(["internet", "voip", "tv", "management", "other"]);
