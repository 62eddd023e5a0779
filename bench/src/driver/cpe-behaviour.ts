import type { AcsRequest, CpeMessage, Inform } from "@beacon/cwmp";
import { connectionRequestUrlOf, deviceIdOf, informParameters } from "../fleet-identity.ts";

/** What a benchmark CPE says: its Inform, and its answers to the requests the scenarios make. */

export function informOf(
  serialNumber: string,
  index: number,
  events: readonly (string | { eventCode: string; commandKey: string })[],
  connectionRequestBaseUrl: string,
): Inform {
  return {
    type: "Inform",
    deviceId: deviceIdOf(serialNumber),
    event: events.map((e) => (typeof e === "string" ? { eventCode: e, commandKey: "" } : e)),
    maxEnvelopes: 1,
    currentTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    retryCount: 0,
    parameterList: informParameters(index, connectionRequestUrlOf(connectionRequestBaseUrl, serialNumber)),
  };
}

/** Accepts every SetParameterValues and Reboot; anything else is a fault, which the scenarios never cause. */
export function answerRequest(request: AcsRequest): CpeMessage {
  switch (request.type) {
    case "SetParameterValues":
      return { type: "SetParameterValuesResponse", status: 0 };
    case "Reboot":
      return { type: "RebootResponse" };
    default:
      return { type: "Fault", faultCode: 9000, faultString: `the benchmark CPE does not do ${request.type}` };
  }
}
