/** CWMP fault codes with short English texts, for people reading a fault (TR-069 A.5.1, A.5.2). */

export interface FaultInfo {
  readonly code: number;
  readonly text: string;
  /** The SOAP faultcode that goes with it. */
  readonly soapFaultCode: "Client" | "Server";
}

function table(rows: readonly (readonly [number, string, "Client" | "Server"])[]): ReadonlyMap<number, FaultInfo> {
  return new Map(rows.map(([code, text, soapFaultCode]) => [code, { code, text, soapFaultCode }]));
}

/** Faults the ACS sends to the CPE. */
export const ACS_FAULTS = table([
  [8000, "Method not supported", "Server"],
  [8001, "Request denied", "Server"],
  [8002, "Internal error", "Server"],
  [8003, "Invalid arguments", "Client"],
  [8004, "Resources exceeded", "Server"],
  [8005, "Retry request", "Server"],
  [8006, "ACS version incompatible with CPE", "Server"],
]);

/** Faults the CPE sends to the ACS; 9010-9020 are also the transfer faults of TransferComplete. */
export const CPE_FAULTS = table([
  [9000, "Method not supported", "Server"],
  [9001, "Request denied", "Server"],
  [9002, "Internal error", "Server"],
  [9003, "Invalid arguments", "Client"],
  [9004, "Resources exceeded", "Server"],
  [9005, "Invalid parameter name", "Client"],
  [9006, "Invalid parameter type", "Client"],
  [9007, "Invalid parameter value", "Client"],
  [9008, "Attempt to set a non-writable parameter", "Client"],
  [9009, "Notification request rejected", "Server"],
  [9010, "File transfer failed", "Server"],
  [9011, "Upload failed", "Server"],
  [9012, "File server authentication failed", "Server"],
  [9013, "Unsupported file transfer protocol", "Server"],
  [9014, "File transfer failed: could not join the multicast group", "Server"],
  [9015, "File transfer failed: could not contact the file server", "Server"],
  [9016, "File transfer failed: could not access the file", "Server"],
  [9017, "File transfer failed: could not complete the download", "Server"],
  [9018, "File transfer failed: file corrupted or unusable", "Server"],
  [9019, "File transfer failed: file authentication failed", "Server"],
  [9020, "File transfer failed: could not complete within the time windows", "Server"],
  [9021, "Transfer cannot be cancelled in its current state", "Client"],
  [9022, "Invalid UUID format", "Server"],
  [9023, "Unknown execution environment", "Server"],
  [9024, "Execution environment disabled", "Server"],
  [9025, "Deployment unit does not fit the execution environment", "Server"],
  [9026, "Duplicate deployment unit", "Server"],
  [9027, "System resources exceeded", "Server"],
  [9028, "Unknown deployment unit", "Server"],
  [9029, "Invalid deployment unit state", "Server"],
  [9030, "Invalid deployment unit update: downgrade not permitted", "Server"],
  [9031, "Invalid deployment unit update: version not specified", "Server"],
  [9032, "Invalid deployment unit update: version already exists", "Server"],
]);

export function faultInfo(code: number): FaultInfo | undefined {
  return ACS_FAULTS.get(code) ?? CPE_FAULTS.get(code);
}

/** A short English text for any fault code, including the vendor ranges and codes nobody defined. */
export function faultText(code: number): string {
  const known = faultInfo(code);
  if (known) return known.text;
  if (code >= 8800 && code <= 8899) return `Vendor-specific ACS fault ${code}`;
  if (code >= 9800 && code <= 9899) return `Vendor-specific CPE fault ${code}`;
  if (code === 0) return "No fault";
  return `Unknown fault ${code}`;
}

/** SOAP faultcode for a CWMP fault code; "Server" unless the spec blames the request. */
export function soapFaultCodeOf(code: number): "Client" | "Server" {
  return faultInfo(code)?.soapFaultCode ?? "Server";
}
