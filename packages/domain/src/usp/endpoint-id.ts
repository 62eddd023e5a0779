import type { DeviceIdentity } from "../cpe-auth/admission.ts";

/**
 * TR-369 endpoint ids: `authority-scheme ":" [authority-id] ":" instance-id`, at most 64 characters of printable
 * ASCII. "os::<OUI>-<SerialNumber>" and "ops::<OUI>-<ProductClass>-<SerialNumber>" name the device the way CWMP
 * does; other schemes ("proto::", "uuid::", ...) name only the endpoint until its DeviceInfo is read.
 */
const ENDPOINT_ID = /^([a-z]+):([^:]*):([\x21-\x7e]+)$/;

export function isEndpointId(value: string): boolean {
  return value.length <= 64 && ENDPOINT_ID.test(value);
}

export function identityFromEndpointId(endpointId: string): DeviceIdentity {
  const m = ENDPOINT_ID.exec(endpointId);
  if (!m) return { oui: "", productClass: "", serialNumber: endpointId };
  const [, scheme, authority, instance] = m as unknown as [string, string, string, string];
  if (scheme === "os") {
    const dash = instance.indexOf("-");
    if (dash > 0) return { oui: instance.slice(0, dash), productClass: "", serialNumber: instance.slice(dash + 1) };
  }
  if (scheme === "ops") {
    const first = instance.indexOf("-");
    const last = instance.lastIndexOf("-");
    if (first > 0 && last > first) {
      return {
        oui: instance.slice(0, first),
        productClass: instance.slice(first + 1, last),
        serialNumber: instance.slice(last + 1),
      };
    }
  }
  if (scheme === "oui") return { oui: authority, productClass: "", serialNumber: instance };
  return { oui: "", productClass: "", serialNumber: endpointId };
}
