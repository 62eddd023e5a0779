import type { TransferCompleteFaultStruct } from "@beacon/cwmp";

/**
 * How a firmware upgrade goes wrong on a simulated device, for the failures a campaign must notice. Without
 * one, a downloaded image installs: the device reboots into the version it carries.
 */
export type FirmwareFailure =
  /**
   * The image is refused once downloaded (TR-069 A.5.1: 9010 download failure, 9018 file corrupted, 9019
   * file authentication failure): TransferComplete carries the fault, the device keeps its version and does
   * not reboot.
   */
  | { readonly kind: "fault"; readonly faultCode: number; readonly faultString?: string }
  /** The image installs and the device reboots, but boots back into the old one; TransferComplete says success. */
  | { readonly kind: "rollback" }
  /** The device never comes back after the download: no TransferComplete, no Inform, no connection request. */
  | { readonly kind: "lost" };

const FAULT_STRINGS: Readonly<Record<number, string>> = {
  9010: "Download failure",
  9017: "Download incomplete",
  9018: "File corrupted",
  9019: "File authentication failure",
};

export function firmwareFault(failure: { readonly faultCode: number; readonly faultString?: string }) {
  const fault: TransferCompleteFaultStruct = {
    faultCode: failure.faultCode,
    faultString: failure.faultString ?? FAULT_STRINGS[failure.faultCode] ?? "Firmware installation failed",
  };
  return fault;
}
