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
