/**
 * CWMP versions and their XML namespaces. CWMP 1.3 and 1.4 kept the 1.2 namespace (cwmp-1-3.xsd and
 * cwmp-1-4.xsd both "extend namespace v1.2"); the protocol version itself is then negotiated with the
 * SupportedCWMPVersions / UseCWMPVersion headers. Some CPEs nevertheless send cwmp-1-3 or cwmp-1-4.
 */
export const CWMP_NAMESPACES = {
  "1.0": "urn:dslforum-org:cwmp-1-0",
  "1.1": "urn:dslforum-org:cwmp-1-1",
  "1.2": "urn:dslforum-org:cwmp-1-2",
  "1.3": "urn:dslforum-org:cwmp-1-2",
  "1.4": "urn:dslforum-org:cwmp-1-2",
} as const;

export type CwmpVersion = keyof typeof CWMP_NAMESPACES;

/** What Beacon answers in when it has nothing better to go on. */
export const DEFAULT_CWMP_NAMESPACE = CWMP_NAMESPACES["1.0"];

const NAMESPACE_STEM = "urn:dslforum-org:cwmp-";

/** "urn:dslforum-org:cwmp-1-2" -> "1.2"; any "urn:dslforum-org:cwmp-M-N" is accepted; undefined otherwise. */
export function cwmpVersionOf(namespace: string): string | undefined {
  if (!namespace.startsWith(NAMESPACE_STEM)) return undefined;
  const rest = namespace.slice(NAMESPACE_STEM.length);
  const dash = rest.indexOf("-");
  if (dash <= 0 || dash === rest.length - 1 || dash > 4 || rest.length > 10) return undefined;
  const major = rest.slice(0, dash);
  const minor = rest.slice(dash + 1);
  if (!isDigits(major) || !isDigits(minor)) return undefined;
  return `${Number(major)}.${Number(minor)}`;
}

export function isCwmpNamespace(namespace: string): boolean {
  return cwmpVersionOf(namespace) !== undefined;
}

function isDigits(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x30 || c > 0x39) return false;
  }
  return s.length > 0;
}
