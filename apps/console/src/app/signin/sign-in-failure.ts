/**
 * The sign-in page's words for a failed sign-in. The server sends a code ("beacon:locked:pair:120", see
 * server/auth.ts) or one of next-auth's own; anything else is shown as it came.
 */

type Translate = (key: string, values?: Record<string, string | number>) => string;

const NEXT_AUTH_ERRORS: Record<string, string> = {
  CredentialsSignin: "invalidCredentials",
  SessionRequired: "sessionRequired",
};

const LOCKED_SCOPES: Record<string, string> = {
  pair: "lockedPair",
  address: "lockedAddress",
  account: "lockedAccount",
};

export function describeSignInError(error: string | undefined | null, t: Translate): string {
  if (!error) return t("failed");
  if (error in NEXT_AUTH_ERRORS) return t(NEXT_AUTH_ERRORS[error]!);
  const [prefix, reason, scope, seconds] = error.split(":");
  if (prefix !== "beacon") return error;
  switch (reason) {
    case "invalid-credentials":
      return t("invalidCredentials");
    case "disabled":
      return t("disabled");
    case "unavailable":
      return t("unavailable");
    case "server":
      return t("server");
    case "locked": {
      const wait = Number(seconds);
      const words = wait < 120 ? t("seconds", { count: wait }) : t("minutes", { count: Math.ceil(wait / 60) });
      return t(LOCKED_SCOPES[scope ?? ""] ?? "lockedPair", { wait: words });
    }
    default:
      return t("failed");
  }
}
