import type { Quantity } from "./metrics.ts";

/**
 * Units devices report readings in, and how each becomes Beacon's unit. Optical power is logarithmic (dBm) or
 * linear (W); the linear ones go through 10·log10(mW).
 */
export const UNITS = {
  dBm: { quantity: "opticalPower", dBmScale: 1 },
  "0.1dBm": { quantity: "opticalPower", dBmScale: 0.1 },
  "0.01dBm": { quantity: "opticalPower", dBmScale: 0.01 },
  /** TR-181 Dbm1000, e.g. Optical.Interface.{i}.OpticalSignalLevel. */
  "0.001dBm": { quantity: "opticalPower", dBmScale: 0.001 },
  mW: { quantity: "opticalPower", mWScale: 1 },
  uW: { quantity: "opticalPower", mWScale: 0.001 },
  /** SFF-8472 raw power, used as is by the China Telecom (X_CT-COM_) extension. */
  "0.1uW": { quantity: "opticalPower", mWScale: 0.0001 },
  celsius: { quantity: "temperature", factor: 1 },
  "0.1celsius": { quantity: "temperature", factor: 0.1 },
  "1/256celsius": { quantity: "temperature", factor: 1 / 256 },
  V: { quantity: "voltage", factor: 1 },
  mV: { quantity: "voltage", factor: 0.001 },
  "100uV": { quantity: "voltage", factor: 0.0001 },
  mA: { quantity: "current", factor: 1 },
  uA: { quantity: "current", factor: 0.001 },
  "2uA": { quantity: "current", factor: 0.002 },
  percent: { quantity: "percent", factor: 1 },
  count: { quantity: "count", factor: 1 },
  KiB: { quantity: "size", factor: 1 },
  seconds: { quantity: "duration", factor: 1 },
} as const satisfies Record<string, { quantity: Quantity; dBmScale?: number; mWScale?: number; factor?: number }>;

export type Unit = keyof typeof UNITS;
export const UNIT_NAMES = Object.keys(UNITS) as Unit[];

/** Below this a receiver reads nothing useful: GPON class B+ and C+ receivers stop around -30 dBm. */
export const DEFAULT_NO_SIGNAL_DBM = -50;

export interface OpticalReadingFormat {
  unit: Unit;
  /** A level at or below this many dBm means no signal; default DEFAULT_NO_SIGNAL_DBM. */
  noSignalAtOrBelow?: number;
}

/** A device's reading as a number, or null for an empty or unreadable value ("", "N/A", "--"). */
export function parseReading(raw: string | number | null | undefined): number | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : null;
  const match = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/.exec(raw);
  if (!match) return null;
  const value = Number(match[1]);
  return Number.isFinite(value) ? value : null;
}

const round = (value: number, digits: number) => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/**
 * An optical level in dBm, whatever path and unit the vendor uses; null when there is no reading or no signal
 * (a linear power of 0 or less, or a level at or below the no-signal floor).
 */
export function normaliseOpticalLevel(
  format: OpticalReadingFormat,
  raw: string | number | null | undefined,
): number | null {
  const unit = UNITS[format.unit];
  if (unit.quantity !== "opticalPower") throw new Error(`${format.unit} is not a unit of optical power`);
  const value = parseReading(raw);
  if (value === null) return null;
  let dBm: number;
  if ("dBmScale" in unit) {
    dBm = value * unit.dBmScale;
  } else {
    const mW = value * unit.mWScale;
    if (mW <= 0) return null;
    dBm = 10 * Math.log10(mW);
  }
  dBm = round(dBm, 3);
  return dBm <= (format.noSignalAtOrBelow ?? DEFAULT_NO_SIGNAL_DBM) ? null : dBm;
}

/** Any reading in Beacon's unit for its quantity (dBm, °C, V, mA, %, count, KiB); null when unreadable. */
export function normaliseReading(format: OpticalReadingFormat, raw: string | number | null | undefined): number | null {
  const unit = UNITS[format.unit];
  if (!("factor" in unit)) return normaliseOpticalLevel(format, raw);
  const value = parseReading(raw);
  return value === null ? null : round(value * unit.factor, 4);
}
