/**
 * The console's words for networks and checkouts, in one place so that a translation pass finds them together.
 */

export const BAND_WORDS: Record<string, string> = {
  "2.4GHz": "2.4 GHz",
  "5GHz": "5 GHz",
  "6GHz": "6 GHz",
  unknown: "Unknown band",
};

export const ROLE_WORDS: Record<string, string> = {
  main: "Main",
  guest: "Guest",
  backhaul: "Mesh backhaul",
  extra: "Extra",
};

export const SERVICE_WORDS: Record<string, string> = {
  internet: "Internet",
  voip: "Voice",
  tv: "TV",
  management: "Management",
  other: "Other",
};

/** A network's outcome at checkout. */
export const OUTCOME_WORDS: Record<string, { label: string; style: string }> = {
  changed: { label: "Updated (read back)", style: "bg-emerald-100 text-emerald-900" },
  unverifiable: { label: "Updated (accepted; passphrase not readable)", style: "bg-emerald-50 text-emerald-900" },
  failed: { label: "Not updated", style: "bg-red-100 text-red-900" },
};

export const CHECKOUT_STATE_WORDS: Record<string, { label: string; style: string }> = {
  pending: { label: "Pending", style: "bg-sky-100 text-sky-900" },
  done: { label: "Done", style: "bg-emerald-100 text-emerald-900" },
  incomplete: { label: "Incomplete", style: "bg-amber-100 text-amber-900" },
  failed: { label: "Failed", style: "bg-red-100 text-red-900" },
};

export const NETWORK_WORDS = {
  title: "Networks",
  notRead:
    "Beacon has not read this device's networks yet: it reads them when a template or a checkout needs them, or now with “Read networks”.",
  readNow: "Read networks",
  notRecognised: "Networks not recognised",
  notRecognisedHelp:
    "Beacon read this device's WiFi but could not tell which band each network is on; settings by band (2.4 GHz, 5 GHz, …) cannot be placed and checkouts cannot be verified.",
  stale: "Changed since it was read (a boot or a change of its networks): Beacon reads it again in the next session.",
  readPending: "A new read waits for the device's next session.",
  radios: "Radios",
  wan: "WAN connections",
  noWan: "No WAN connection recognised.",
  enabled: "On",
  disabled: "Off",
  unknownState: "Unknown",
  readAt: "Read",
  clients: "Clients",
  incompleteOnTile: "Not updated:",
} as const;
