/** GPON class B+ receiver limits (ITU-T G.984.2): sensitivity -27 dBm, overload -8 dBm; warn 2 dB early. */
export const GPON_CLASS_B_PLUS: OpticalThresholds = { warning: -25, critical: -27, overload: -8 };

export interface OpticalThresholds {
  /** At or below: warning. */
  warning: number;
  /** Below: critical. */
  critical: number;
  /** Above: the receiver is overloaded. */
  overload: number;
}

export type OpticalClass = "overload" | "good" | "warning" | "critical" | "noSignal";

export function classifyOpticalLevel(
  dBm: number | null,
  thresholds: OpticalThresholds = GPON_CLASS_B_PLUS,
): OpticalClass {
  if (dBm === null) return "noSignal";
  if (dBm > thresholds.overload) return "overload";
  if (dBm < thresholds.critical) return "critical";
  if (dBm <= thresholds.warning) return "warning";
  return "good";
}
