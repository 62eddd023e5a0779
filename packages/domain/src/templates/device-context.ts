import type { Db, Device, Prisma } from "@beacon/db";
import { NotFound } from "../errors.ts";
import {
  type DataModelRoot,
  dataModelRootFrom,
  type MappingSet,
  type ResolvedMapping,
  resolveMapping,
} from "./mappings.ts";
import type { VariableContext } from "./render.ts";

/** An assignment with what templates may read of its room (and floor, building, site) or line (and subscriber). */
export const ASSIGNMENT_TARGET_INCLUDE = {
  room: {
    include: {
      tenant: { select: { id: true, name: true } },
      floor: { select: { name: true, building: { select: { name: true } } } },
    },
  },
  line: {
    include: {
      tenant: { select: { id: true, name: true } },
      subscriber: { select: { externalId: true, name: true, address: true, vars: true } },
    },
  },
} as const satisfies Prisma.DeviceAssignmentInclude;

export type AssignmentWithTarget = Prisma.DeviceAssignmentGetPayload<{ include: typeof ASSIGNMENT_TARGET_INCLUDE }>;

export type DeviceForTemplates = Pick<
  Device,
  | "id"
  | "tenantId"
  | "oui"
  | "productClass"
  | "serialNumber"
  | "manufacturer"
  | "modelName"
  | "macAddress"
  | "dataModelRoot"
> & { tenant: { id: string; name: string; ancestorIds: string[] } };

export const DEVICE_FOR_TEMPLATES_SELECT = {
  id: true,
  tenantId: true,
  oui: true,
  productClass: true,
  serialNumber: true,
  manufacturer: true,
  modelName: true,
  macAddress: true,
  dataModelRoot: true,
  tenant: { select: { id: true, name: true, ancestorIds: true } },
} as const satisfies Prisma.DeviceSelect;

export async function loadDeviceForTemplates(db: Pick<Db, "device">, deviceId: string): Promise<DeviceForTemplates> {
  const device = await db.device.findUnique({ where: { id: deviceId }, select: DEVICE_FOR_TEMPLATES_SELECT });
  if (!device) throw new NotFound("device");
  return device;
}

/** The assignment that placed the device in its room or line, if any. */
export async function activeAssignmentOf(
  db: Pick<Db, "deviceAssignment">,
  deviceId: string,
): Promise<AssignmentWithTarget | null> {
  return db.deviceAssignment.findFirst({
    where: { deviceId, state: "provisioned" },
    include: ASSIGNMENT_TARGET_INCLUDE,
    orderBy: { provisionedAt: "desc" },
  });
}

function vars(value: Prisma.JsonValue): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}

/** What {{...}} may read for this device; namespaces without values say why. */
export function variableContext(device: DeviceForTemplates, assignment: AssignmentWithTarget | null): VariableContext {
  const values: Record<string, unknown> = {
    device: {
      id: device.id,
      serial: device.serialNumber,
      mac: device.macAddress,
      oui: device.oui,
      productClass: device.productClass,
      model: device.modelName,
      manufacturer: device.manufacturer,
    },
    domain: { id: device.tenant.id, name: device.tenant.name },
    site: { id: device.tenant.id, name: device.tenant.name },
  };
  const unavailable: Record<string, string> = {
    room: "the device is not assigned to a room",
    subscriber: "the device is not assigned to a subscriber line",
    line: "the device is not assigned to a subscriber line",
  };
  const room = assignment?.room;
  if (room) {
    values.room = {
      number: room.number,
      name: room.name,
      floor: room.floor?.name,
      building: room.floor?.building.name,
      passphrase: room.wifiPassphrase,
      vars: vars(room.vars),
    };
    values.site = room.tenant;
    delete unavailable.room;
  }
  const line = assignment?.line;
  if (line) {
    values.line = {
      number: line.number,
      loid: line.loid,
      slid: line.slid,
      servicePlan: line.servicePlan,
      phoneNumber: line.phoneNumber,
      vars: vars(line.vars),
    };
    values.subscriber = {
      id: line.subscriber.externalId,
      name: line.subscriber.name,
      address: line.subscriber.address,
      vars: vars(line.subscriber.vars),
    };
    values.site = line.tenant;
    delete unavailable.line;
    delete unavailable.subscriber;
  }
  return { values, unavailable };
}

/** The device's data model root (from its row, else from its stored parameter names) and the mapping for it. */
export async function mappingForDevice(
  db: Pick<Db, "deviceParameter">,
  device: DeviceForTemplates,
  mappings: MappingSet,
): Promise<{ root: DataModelRoot | null; mapping: ResolvedMapping | null }> {
  let names: string[] = [];
  if (device.dataModelRoot !== "InternetGatewayDevice" && device.dataModelRoot !== "Device") {
    const rooted = await db.deviceParameter.findFirst({
      where: {
        deviceId: device.id,
        OR: [{ name: { startsWith: "InternetGatewayDevice." } }, { name: { startsWith: "Device." } }],
      },
      select: { name: true },
    });
    names = rooted ? [rooted.name] : [];
  }
  const root = dataModelRootFrom(device.dataModelRoot, names);
  return { root, mapping: root ? resolveMapping(mappings, { ...device, dataModelRoot: root }) : null };
}
