import { buildDeviceModel, type DeviceIdentity, type DeviceModel, type ParameterRow } from "./device-model.ts";

/** A compact way to write a device model by hand (packages/sim/src/models/*.ts). */

export type FixtureType =
  | "string"
  | "int"
  | "unsignedInt"
  | "long"
  | "unsignedLong"
  | "boolean"
  | "dateTime"
  | "base64"
  | "hexBinary";

/**
 * A parameter: [name, type, "r" | "w", value, notification?]. An object whose writability matters (a table
 * that takes AddObject, an instance that takes DeleteObject): [name ending in ".", "object", "r" | "w"].
 * Objects that are only containers need no entry; they are created read-only.
 */
export type FixtureEntry =
  | readonly [name: string, type: FixtureType, access: "r" | "w", value: string, notification?: number]
  | readonly [name: string, type: "object", access: "r" | "w"];

export interface ModelFixture {
  readonly name: string;
  readonly description: string;
  readonly identity: DeviceIdentity;
  readonly entries: readonly FixtureEntry[];
  readonly informParameters?: readonly string[];
}

export function fixtureModel(fixture: ModelFixture): DeviceModel {
  const rows: ParameterRow[] = fixture.entries.map((entry) => {
    if (entry[1] === "object") return { name: entry[0], object: true, writable: entry[2] === "w" };
    const [name, type, access, value, notification] = entry;
    return {
      name,
      object: false,
      writable: access === "w",
      type,
      value,
      ...(notification === undefined ? {} : { notification }),
    };
  });
  return buildDeviceModel({
    name: fixture.name,
    description: fixture.description,
    identity: fixture.identity,
    rows,
    ...(fixture.informParameters ? { informParameters: fixture.informParameters } : {}),
  });
}
