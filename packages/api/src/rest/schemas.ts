import { DeviceStatus, LOCALES, PERMISSIONS, ROLES } from "@beacon/domain";
import { z } from "zod";
import { PROBLEM_CODES, type ProblemCode } from "../errors.ts";

/**
 * The REST API's answers: zod schemas of the JSON the procedures' results become (dates as ISO 8601 strings), for
 * the OpenAPI document; the tests check answers against them. Inputs are the procedures' own input schemas.
 */

// ---- Answers

const Timestamp = z.iso.datetime();
const Uuid = z.uuid();

export const DomainRef = z.object({
  id: Uuid,
  name: z.string(),
  kind: z.enum(["platform", "integrator", "hotel", "operator", "business", "site"]),
  parentId: Uuid.nullable().meta({ description: "Null for the token's own domain: what is above it is not shown." }),
  path: z.array(z.string()).meta({ description: "Names from the token's domain down to this one." }),
  pathIds: z.array(Uuid),
});

const Role = z.enum(ROLES);
const Permission = z.enum(PERMISSIONS);

export const DomainListItem = DomainRef.extend({
  role: Role.nullable(),
  childCount: z.number().int(),
  deviceCount: z.number().int().meta({ description: "Devices directly in this domain (not below it)." }),
});

export const DomainDetail = DomainRef.extend({
  timeZone: z.string(),
  defaultLocale: z
    .enum(LOCALES)
    .nullable()
    .meta({ description: "The console's language for the domain's people who chose none; null: their browser's." }),
  cardLocales: z.array(z.enum(LOCALES)).meta({ description: "The guest WiFi card's languages, side by side." }),
  role: Role.nullable(),
  permissions: z.array(Permission),
  parentReachable: z.boolean(),
});

const deviceFields = {
  id: Uuid,
  oui: z.string(),
  productClass: z.string(),
  serialNumber: z.string(),
  manufacturer: z.string(),
  modelName: z.string().nullable(),
  softwareVersion: z.string().nullable(),
  hardwareVersion: z.string().nullable(),
  externalIp: z.string().nullable(),
  macAddress: z.string().nullable(),
  lastInformAt: Timestamp.nullable(),
  periodicInformInterval: z.number().int().nullable(),
  status: DeviceStatus,
  domain: DomainRef,
};

export const DeviceHome = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("room"), roomId: Uuid, number: z.string(), name: z.string(), siteId: Uuid }),
    z.object({
      kind: z.literal("line"),
      lineId: Uuid,
      number: z.string(),
      subscriberId: Uuid,
      externalId: z.string(),
      subscriberName: z.string(),
    }),
  ])
  .nullable()
  .meta({ description: "The hotel room or the subscriber line the device is provisioned for." });

export const DeviceRow = z.object({ ...deviceFields, home: DeviceHome });

export const DevicePage = z.object({
  rows: z.array(DeviceRow),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const DeviceDetail = z.object({
  ...deviceFields,
  dataModelRoot: z.string().nullable(),
  connectionRequestUrl: z.string().nullable(),
  tags: z.array(z.string()),
  firstInformAt: Timestamp.nullable(),
  lastBootAt: Timestamp.nullable(),
  provisionedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  parameterCount: z.number().int(),
  pendingTaskCount: z.number().int(),
  permissions: z.array(Permission).meta({ description: "What this token may do with the device." }),
  home: DeviceHome,
  room: z
    .object({
      id: Uuid,
      number: z.string(),
      name: z.string(),
      site: DomainRef,
      passphrase: z.string().nullable().meta({
        description:
          'The room\'s guest WiFi passphrase, always "••••" (reveal it with revealRoomPassphrase); null when none.',
      }),
      canReveal: z.boolean(),
    })
    .nullable()
    .meta({ description: "The hotel room the device serves, with its site." }),
});

export const SiteSummaryList = z.array(
  z.object({
    site: DomainRef,
    devices: z.object({
      total: z.number().int(),
      online: z.number().int(),
      offline: z.number().int(),
      never: z.number().int(),
    }),
    activeAlarms: z.number().int(),
    pendingCheckouts: z.number().int(),
  }),
);

export const RoomPassphrase = z.object({ roomId: Uuid, number: z.string(), passphrase: z.string().nullable() });

export const ParameterNode = z.object({
  name: z.string().meta({ description: "Full path; objects end with a dot." }),
  label: z.string(),
  isObject: z.boolean(),
  value: z
    .string()
    .nullable()
    .meta({ description: 'A password, passphrase or key shows as "••••" (see `secret`); the console can reveal it.' }),
  secret: z.boolean().meta({ description: "True for passwords, passphrases and keys: their value is masked." }),
  type: z.string().nullable(),
  writable: z.boolean().nullable(),
  updatedAt: Timestamp.nullable(),
});

export const ParameterList = z.array(ParameterNode);

export const ParameterSearch = z.object({
  matches: z.array(ParameterNode),
  truncated: z.boolean().meta({ description: "True when the search matched more than it returns." }),
});

export const TaskItem = z.object({
  id: Uuid,
  kind: z.string(),
  summary: z.string(),
  state: z.enum(["pending", "running", "done", "fault", "expired", "cancelled"]),
  faultCode: z.number().int().nullable(),
  faultString: z.string().nullable(),
  faultExplanation: z.string().nullable(),
  attempts: z.number().int(),
  wakeOutcome: z.string().nullable(),
  wakeDetail: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
});

export const TaskList = z.array(TaskItem);

export const TaskCreated = z.object({
  id: Uuid.meta({ description: "The task's id; follow it in the device's task list." }),
});

export const DeviceEventItem = z.object({
  id: z.string(),
  code: z.string(),
  commandKey: z.string(),
  meaning: z.string(),
  at: Timestamp,
});

export const DeviceEventList = z.array(DeviceEventItem);

export const DomainList = z.array(DomainListItem);

const JsonValue = z.unknown().meta({ description: "Any JSON value." });

export const AuditRow = z.object({
  id: Uuid,
  createdAt: Timestamp,
  actorLabel: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  domain: DomainRef,
  device: z.object({ id: Uuid, serialNumber: z.string() }).nullable(),
  before: JsonValue,
  after: JsonValue,
});

export const AuditPage = z.object({
  rows: z.array(AuditRow),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const Checkout = z.object({
  id: Uuid,
  roomId: Uuid,
  roomNumber: z.string(),
  deviceId: Uuid.nullable(),
  state: z.enum(["pending", "done", "incomplete", "failed"]).meta({
    description:
      "done: every network a guest could use took the new passphrase; incomplete: one or more did not (see networks and problem); failed: the device could not be reached or refused the checkout.",
  }),
  passphrase: z
    .string()
    .nullable()
    .meta({ description: "The new guest WiFi passphrase; null for a token whose role may not check rooms out." }),
  reboot: z.boolean(),
  taskIds: z.array(Uuid),
  problem: z.string().nullable(),
  networks: z
    .array(
      z.object({
        path: z.string(),
        label: z.string().meta({ description: 'e.g. 5 GHz main network "Hotel-101" (Device.WiFi.SSID.3)' }),
        band: z.enum(["2.4GHz", "5GHz", "6GHz", "unknown"]),
        role: z.enum(["main", "guest", "backhaul", "extra"]),
        ssid: z.string(),
        status: z.enum(["changed", "unverifiable", "failed"]).meta({
          description:
            "changed: accepted and read back; unverifiable: accepted without fault, the device reads passphrases back empty; failed: see reason.",
        }),
        reason: z.string().nullable(),
        clientsDropped: z.boolean(),
      }),
    )
    .meta({ description: "Per network of the room's device: what the checkout did to it. Empty while pending." }),
  requestedBy: z.string(),
  createdAt: Timestamp,
  completedAt: Timestamp.nullable(),
});

export const CheckoutStarted = Checkout.extend({
  skipped: z
    .array(z.object({ setting: z.string().nullable(), path: z.string().optional(), reason: z.string() }))
    .meta({ description: "Settings of the room's templates the device cannot take, and why." }),
});

export const TokenInfo = z.object({
  prefix: z.string(),
  name: z.string(),
  role: Role.meta({ description: "The role the token acts with now." }),
  domain: DomainDetail,
  expiresAt: Timestamp,
});

export const Problem = z.object({
  type: z.string().meta({ description: "urn:beacon:problem:<code>" }),
  title: z.string(),
  status: z.number().int(),
  code: z
    .enum(Object.keys(PROBLEM_CODES) as [ProblemCode, ...ProblemCode[]])
    .meta({ description: "Stable: a program may switch on it; `detail` may be reworded." }),
  detail: z.string().meta({ description: "What went wrong, in a sentence." }),
  errors: z
    .record(z.string(), z.array(z.string()))
    .optional()
    .meta({ description: "For 400: the problem with each input field." }),
});
