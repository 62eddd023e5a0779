/**
 * The received optical power of a simulated ONT, and how each data model spells it. A level is in dBm; it
 * may follow a curve over the device's (scaled) seconds, so a test can let a fibre degrade and recover.
 */

/** A fixed level, or one that changes with the seconds since the device was created (scaled by timeScale). */
export type OpticalLevel = number | ((elapsedSeconds: number) => number);

/**
 * A piecewise-linear curve through [seconds, dBm] points in rising time order, flat before the first point
 * and after the last, e.g. opticalRamp([[0, -19], [60, -29], [120, -19]]) for a minute-long dip.
 */
export function opticalRamp(points: readonly (readonly [seconds: number, dBm: number])[]): (seconds: number) => number {
  if (!points.length) throw new Error("opticalRamp needs at least one point");
  for (let i = 1; i < points.length; i++) {
    if (points[i]![0] < points[i - 1]![0]) throw new Error("opticalRamp points must be in rising time order");
  }
  return (seconds) => {
    const after = points.findIndex(([t]) => t > seconds);
    if (after === 0) return points[0]![1];
    if (after === -1) return points.at(-1)![1];
    const [t0, v0] = points[after - 1]!;
    const [t1, v1] = points[after]!;
    return v0 + ((v1 - v0) * (seconds - t0)) / (t1 - t0);
  };
}

export function opticalLevelAt(level: OpticalLevel, elapsedSeconds: number): number {
  return typeof level === "number" ? level : level(elapsedSeconds);
}

/**
 * What the parameter `name` reports for a received level of `dBm`, in that parameter's own unit; undefined
 * when `name` is no receive level the simulator knows.
 */
export function opticalRxValue(name: string, type: string, dBm: number): string | undefined {
  // TR-181 Optical.Interface.{i}.OpticalSignalLevel: thousandths of a dBm.
  if (/\.Optical\.Interface\.\d+\.OpticalSignalLevel$/.test(name)) return String(Math.round(dBm * 1000));
  // China Telecom extension: the transceiver's raw SFF-8472 reading in 0.1 uW (1 mW = 10,000 units).
  if (/\.X_CT-COM_[GE]ponInterfaceConfig\.RXPower$/.test(name)) return String(Math.round(10 ** (dBm / 10) * 10_000));
  // Vendor extensions in dBm: integers where the parameter is an integer, decimals where it is a string.
  if (/\.(X_GponInterafceConfig\.RXPower|X_HW_Optical\.RxPowerDbm|X_ALU_OntOpticalParam\.RXPower)$/.test(name)) {
    return type === "xsd:int" ? String(Math.round(dBm)) : dBm.toFixed(2);
  }
  return undefined;
}

/** TR-181 TransmitOpticalLevel, the vendors' TXPower / TxPowerDbm: the transmitted level, same units as receive. */
const TX =
  /\.(Optical\.Interface\.\d+\.TransmitOpticalLevel|X_CT-COM_[GE]ponInterfaceConfig\.TXPower|X_GponInterafceConfig\.TXPower|X_HW_Optical\.TxPowerDbm|X_ALU_OntOpticalParam\.TXPower)$/;
const RX =
  /\.(Optical\.Interface\.\d+\.OpticalSignalLevel|X_CT-COM_[GE]ponInterfaceConfig\.RXPower|X_GponInterafceConfig\.RXPower|X_HW_Optical\.RxPowerDbm|X_ALU_OntOpticalParam\.RXPower)$/;
const TEMPERATURE =
  /\.(X_GponInterafceConfig\.(?:Transceiver)?Temperature|X_ALU_OntOpticalParam\.TransceiverTemperature)$/;
const CT_TEMPERATURE = /\.X_CT-COM_[GE]ponInterfaceConfig\.TransceiverTemperature$/;

/** A number in [-1, 1] that is the same for one seed and one step, different from step to step. */
function jitter(seed: string, step: number): number {
  let h = 2166136261;
  for (const c of `${seed}:${step}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return ((h >>> 0) / 0xffffffff) * 2 - 1;
}

/** The model's stored reading, in dBm, whatever unit the parameter uses. */
function storedDbm(name: string, stored: string): number | undefined {
  const n = Number(stored);
  if (stored.trim() === "" || !Number.isFinite(n)) return undefined;
  if (/OpticalSignalLevel$|TransmitOpticalLevel$/.test(name)) return n / 1000;
  if (/X_CT-COM_/.test(name)) return n > 0 ? 10 * Math.log10(n / 10_000) : undefined;
  return n;
}

/**
 * How a real transceiver's readings move: the model's stored value (received level, transmitted level,
 * temperature), drifting slowly over the hour (fibre and laser warm up and cool down) with a little noise from
 * one minute to the next, different for each device (`seed`). Undefined for parameters that are no such
 * reading, so the stored value stands.
 */
export function liveOpticalValue(
  name: string,
  type: string,
  stored: string,
  elapsedSeconds: number,
  seed: string,
): string | undefined {
  const step = Math.floor(elapsedSeconds / 60);
  const phase = (jitter(seed, -1) + 1) * Math.PI;
  const drift = Math.sin((2 * Math.PI * elapsedSeconds) / 3600 + phase);
  const wobble = (amplitude: number, noise: number) => amplitude * drift + noise * jitter(seed, step);
  const rx = RX.test(name);
  if (rx || TX.test(name)) {
    const base = storedDbm(name, stored) ?? (rx ? -19.5 : 2.3);
    const dBm = base + (rx ? wobble(0.8, 0.3) : wobble(0.15, 0.05));
    if (/OpticalSignalLevel$|TransmitOpticalLevel$/.test(name)) return String(Math.round(dBm * 1000));
    if (/X_CT-COM_/.test(name)) return String(Math.round(10 ** (dBm / 10) * 10_000));
    return type === "xsd:int" ? String(Math.round(dBm)) : dBm.toFixed(2);
  }
  if (TEMPERATURE.test(name) || CT_TEMPERATURE.test(name)) {
    const base = Number(stored);
    const celsius =
      (Number.isFinite(base) && stored.trim() !== "" ? (CT_TEMPERATURE.test(name) ? base / 256 : base) : 45) +
      wobble(2.5, 0.5);
    if (CT_TEMPERATURE.test(name)) return String(Math.round(celsius * 256));
    return type === "xsd:int" || type === "xsd:unsignedInt" ? String(Math.round(celsius)) : celsius.toFixed(1);
  }
  return undefined;
}
