/**
 * The cookies of one CWMP session. ACSes key session state on a cookie, and TR-069 3.4.1 requires the CPE
 * to return it on every later request of the session; a new session starts with an empty jar.
 * Path and domain scoping are ignored: a session talks to one ACS URL.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Takes every Set-Cookie header of a response. */
  store(setCookie: readonly string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (!pair || eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attributes.some((a) => isExpiry(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** The Cookie header value, or undefined when the jar is empty. */
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

function isExpiry(attribute: string): boolean {
  const [key, value = ""] = attribute.split("=", 2).map((s) => s.trim());
  if (key?.toLowerCase() === "max-age") return Number(value) <= 0;
  if (key?.toLowerCase() === "expires") {
    const t = Date.parse(value);
    return !Number.isNaN(t) && t <= Date.now();
  }
  return false;
}
