/** The cookie that carries a CWMP session from one HTTP request to the next (TR-069 3.4.1). */
export const SESSION_COOKIE = "beacon_session";

/**
 * Reads the session id from a Cookie header, including RFC 2109 style ($Version="0"; name="value"; $Path=/)
 * as Thomson and other older CPEs send it.
 */
export function sessionIdFromCookie(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(/[;,]/)) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    if (name !== SESSION_COOKIE) continue;
    const value = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1");
    return value || null;
  }
  return null;
}

export function sessionCookie(sessionId: string): string {
  return `${SESSION_COOKIE}=${sessionId}; Path=/`;
}
