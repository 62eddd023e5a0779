import { randomUUID } from "node:crypto";
import type { Db, Role, TenantKind } from "@beacon/db";
import { ensurePlatformTenant, hashPassword } from "@beacon/domain";

/** Every string written into Bravo's rows carries this, so a leak shows up as text in any answer. */
export const BRAVO_MARK = "BRAVO-PRIVATE";

export interface TwoIntegrators {
  acme: {
    id: string;
    hotelId: string;
    ownerId: string;
    deviceId: string;
    otherDeviceId: string;
    roomId: string;
    templateId: string;
    templateVersionId: string;
    /** A firmware image of Acme's, for AX3000. */
    fileId: string;
  };
  bravo: {
    id: string;
    hotelId: string;
    ownerId: string;
    membershipId: string;
    deviceId: string;
    serialNumber: string;
    roomId: string;
    buildingId: string;
    floorId: string;
    checkoutId: string;
    templateId: string;
    templateVersionId: string;
    subscriberId: string;
    lineId: string;
    alarmId: string;
    diagnosticId: string;
    fileId: string;
    campaignId: string;
    tokenId: string;
    webhookId: string;
    deliveryId: string;
    /** Ids of every row Bravo owns, by model: none may surface for Acme's users. */
    rows: Record<string, string[]>;
  };
  /** The root above both integrators, which neither integrator's people may see. */
  platformId: string;
  /** A person with a viewer role at Acme and an owner role at Bravo. */
  sharedUserId: string;
}

async function tenant(db: Db, name: string, kind: TenantKind, parent: { id: string; ancestorIds: string[] }) {
  const id = randomUUID();
  return db.tenant.create({ data: { id, name, kind, parentId: parent.id, ancestorIds: [...parent.ancestorIds, id] } });
}

async function user(db: Db, email: string, roles: { tenantId: string; role: Role }[]) {
  return db.user.create({
    data: { email, passwordHash: await hashPassword("irrelevant-password"), memberships: { create: roles } },
    include: { memberships: true },
  });
}

/**
 * Two integrators under the platform, each with a hotel. Bravo gets a row of every tenant-owned model; Acme gets
 * what its owner needs to have something to look at.
 */
export async function seedTwoIntegrators(db: Db): Promise<TwoIntegrators> {
  const platform = await ensurePlatformTenant(db);
  const acme = await tenant(db, "Acme Integration", "integrator", platform);
  const acmeHotel = await tenant(db, "Acme Hotel Lisbon", "hotel", acme);
  const bravo = await tenant(db, `${BRAVO_MARK} Integrator`, "integrator", platform);
  const bravoHotel = await tenant(db, `${BRAVO_MARK} Hotel`, "hotel", bravo);

  const acmeOwner = await user(db, "owner@acme.example.com", [{ tenantId: acme.id, role: "owner" }]);
  const bravoOwner = await user(db, `${BRAVO_MARK.toLowerCase()}@bravo.example.com`, [
    { tenantId: bravo.id, role: "owner" },
  ]);
  const shared = await user(db, "shared@example.com", [
    { tenantId: acme.id, role: "viewer" },
    { tenantId: bravoHotel.id, role: "owner" },
  ]);

  const acmeDevice = await db.device.create({
    data: {
      tenantId: acmeHotel.id,
      oui: "00A0C5",
      productClass: "AX3000",
      serialNumber: "ACME0001",
      lastInformAt: new Date(),
    },
  });
  const acmeOther = await db.device.create({
    data: { tenantId: acme.id, oui: "00A0C5", productClass: "AX3000", serialNumber: "ACME0002" },
  });
  await db.deviceParameter.create({
    data: { deviceId: acmeDevice.id, name: "Device.DeviceInfo.SoftwareVersion", value: "1.0", writable: false },
  });
  await db.auditEvent.create({
    data: { tenantId: acme.id, actorLabel: "owner@acme.example.com", action: "domain.create" },
  });
  const acmeRoom = await db.room.create({ data: { tenantId: acmeHotel.id, number: "201", name: "Acme room" } });
  const acmeFile = await db.file.create({
    data: {
      tenantId: acme.id,
      name: "AX3000-2.0.bin",
      fileType: "1 Firmware Upgrade Image",
      size: 1n,
      sha256: "1".repeat(64),
      storagePath: "files/acme",
      productClasses: ["AX3000"],
      version: "2.0",
    },
  });
  const acmeTemplate = await db.template.create({ data: { tenantId: acme.id, name: "Acme guest WiFi" } });
  const acmeVersion = await db.templateVersion.create({
    data: { tenantId: acme.id, templateId: acmeTemplate.id, version: 1, settings: {} },
  });

  const device = await db.device.create({
    data: {
      tenantId: bravoHotel.id,
      oui: "00259E",
      productClass: BRAVO_MARK,
      serialNumber: `${BRAVO_MARK}-0001`,
      modelName: `${BRAVO_MARK} model`,
      softwareVersion: `${BRAVO_MARK} firmware`,
      externalIp: "203.0.113.77",
      macAddress: "BB:BB:BB:00:00:01",
      lastInformAt: new Date(),
      periodicInformInterval: 300,
    },
  });
  await db.deviceParameter.create({
    data: { deviceId: device.id, name: `Device.${BRAVO_MARK}.Secret`, value: BRAVO_MARK, writable: true },
  });
  const event = await db.deviceEvent.create({ data: { deviceId: device.id, code: "1 BOOT", commandKey: BRAVO_MARK } });
  const task = await db.task.create({
    data: {
      tenantId: bravoHotel.id,
      deviceId: device.id,
      kind: "reboot",
      args: { commandKey: BRAVO_MARK },
      createdBy: BRAVO_MARK,
    },
  });
  const session = await db.cwmpSession.create({
    data: { deviceId: device.id, namespace: "urn:dslforum-org:cwmp-1-2", expiresAt: new Date(Date.now() + 60_000) },
  });
  const file = await db.file.create({
    data: {
      tenantId: bravo.id,
      name: `${BRAVO_MARK}.bin`,
      fileType: "1 Firmware Upgrade Image",
      size: 1n,
      sha256: "0".repeat(64),
      storagePath: `/files/${BRAVO_MARK}`,
    },
  });
  const audit = await db.auditEvent.create({
    data: {
      tenantId: bravoHotel.id,
      actorLabel: `${BRAVO_MARK}@bravo.example.com`,
      action: "device.reboot",
      deviceId: device.id,
      after: { note: BRAVO_MARK },
    },
  });
  const template = await db.template.create({ data: { tenantId: bravo.id, name: `${BRAVO_MARK} template` } });
  const templateVersion = await db.templateVersion.create({
    data: { tenantId: bravo.id, templateId: template.id, version: 1, note: BRAVO_MARK },
  });
  const deviceTemplate = await db.deviceTemplate.create({
    data: {
      tenantId: bravoHotel.id,
      deviceId: device.id,
      templateId: template.id,
      templateVersionId: templateVersion.id,
    },
  });
  const building = await db.building.create({ data: { tenantId: bravoHotel.id, name: `${BRAVO_MARK} building` } });
  const floor = await db.floor.create({ data: { tenantId: bravoHotel.id, buildingId: building.id, name: BRAVO_MARK } });
  const room = await db.room.create({
    data: { tenantId: bravoHotel.id, floorId: floor.id, number: "101", name: BRAVO_MARK },
  });
  const subscriber = await db.subscriber.create({ data: { tenantId: bravo.id, externalId: BRAVO_MARK } });
  const line = await db.line.create({ data: { tenantId: bravo.id, subscriberId: subscriber.id, loid: BRAVO_MARK } });
  const assignment = await db.deviceAssignment.create({
    data: { tenantId: bravoHotel.id, roomId: room.id, serialNumber: `${BRAVO_MARK}-0002` },
  });
  const checkout = await db.checkout.create({
    data: {
      tenantId: bravoHotel.id,
      roomId: room.id,
      deviceId: device.id,
      passphrase: BRAVO_MARK,
      requestedBy: BRAVO_MARK,
    },
  });

  const campaign = await db.firmwareCampaign.create({
    data: {
      tenantId: bravo.id,
      name: `${BRAVO_MARK} rollout`,
      domainId: bravoHotel.id,
      fileId: file.id,
      productClass: BRAVO_MARK,
      targetVersion: "2.0",
      waves: [10, 100],
      createdBy: BRAVO_MARK,
    },
  });
  const campaignDevice = await db.firmwareCampaignDevice.create({
    data: { campaignId: campaign.id, deviceId: device.id, wave: 0, reason: BRAVO_MARK },
  });
  const profile = await db.monitoringProfile.create({ data: { tenantId: bravo.id, name: `${BRAVO_MARK} profile` } });
  await db.deviceMetric.create({ data: { deviceId: device.id, metric: BRAVO_MARK, value: 1, at: new Date() } });
  await db.metricSample.create({ data: { deviceId: device.id, metric: BRAVO_MARK, value: 1, at: new Date() } });
  const alarmRule = await db.alarmRule.create({ data: { tenantId: bravo.id, type: BRAVO_MARK } });
  const alarm = await db.alarm.create({
    data: {
      tenantId: bravoHotel.id,
      deviceId: device.id,
      type: "offline",
      severity: "major",
      message: BRAVO_MARK,
      raisedAt: new Date(),
      changedAt: new Date(),
    },
  });
  const domainEvent = await db.domainEvent.create({ data: { tenantId: bravo.id, type: BRAVO_MARK } });
  const diagnostic = await db.diagnostic.create({
    data: {
      tenantId: bravoHotel.id,
      deviceId: device.id,
      kind: "ping",
      path: "Device.IP.Diagnostics.",
      requestedBy: BRAVO_MARK,
    },
  });

  const apiToken = await db.apiToken.create({
    data: {
      tenantId: bravo.id,
      name: `${BRAVO_MARK} token`,
      prefix: "bcn_b7a40000",
      tokenHash: `${BRAVO_MARK}-hash`,
      role: "owner",
      createdById: bravoOwner.id,
      createdBy: BRAVO_MARK,
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const webhook = await db.webhook.create({
    data: {
      tenantId: bravo.id,
      url: `https://${BRAVO_MARK.toLowerCase()}.example.com/hooks`,
      description: BRAVO_MARK,
      eventTypes: ["checkout.done"],
      createdBy: BRAVO_MARK,
    },
  });
  const webhookSecret = await db.webhookSecret.create({
    data: { tenantId: bravo.id, webhookId: webhook.id, secret: `whsec_${BRAVO_MARK}` },
  });
  const delivery = await db.webhookDelivery.create({
    data: {
      tenantId: bravo.id,
      webhookId: webhook.id,
      eventType: "checkout.done",
      messageId: `msg_${BRAVO_MARK}`,
      body: BRAVO_MARK,
      state: "failed",
      retryUntil: new Date(Date.now() + 86_400_000),
    },
  });

  const bravoMembership = bravoOwner.memberships[0]!;
  return {
    acme: {
      id: acme.id,
      hotelId: acmeHotel.id,
      ownerId: acmeOwner.id,
      deviceId: acmeDevice.id,
      otherDeviceId: acmeOther.id,
      roomId: acmeRoom.id,
      templateId: acmeTemplate.id,
      templateVersionId: acmeVersion.id,
      fileId: acmeFile.id,
    },
    bravo: {
      id: bravo.id,
      hotelId: bravoHotel.id,
      ownerId: bravoOwner.id,
      membershipId: bravoMembership.id,
      deviceId: device.id,
      serialNumber: device.serialNumber,
      roomId: room.id,
      buildingId: building.id,
      floorId: floor.id,
      checkoutId: checkout.id,
      templateId: template.id,
      templateVersionId: templateVersion.id,
      subscriberId: subscriber.id,
      lineId: line.id,
      alarmId: alarm.id,
      diagnosticId: diagnostic.id,
      fileId: file.id,
      campaignId: campaign.id,
      tokenId: apiToken.id,
      webhookId: webhook.id,
      deliveryId: delivery.id,
      rows: {
        Tenant: [bravo.id, bravoHotel.id],
        User: [bravoOwner.id],
        Membership: [
          bravoMembership.id,
          ...shared.memberships.filter((m) => m.tenantId === bravoHotel.id).map((m) => m.id),
        ],
        Device: [device.id],
        DeviceParameter: [device.id],
        DeviceEvent: [event.id.toString()],
        Task: [task.id],
        CwmpSession: [session.id],
        File: [file.id],
        AuditEvent: [audit.id],
        Template: [template.id],
        TemplateVersion: [templateVersion.id],
        DeviceTemplate: [deviceTemplate.id],
        Building: [building.id],
        Floor: [floor.id],
        Room: [room.id],
        Subscriber: [subscriber.id],
        Line: [line.id],
        DeviceAssignment: [assignment.id],
        Checkout: [checkout.id],
        FirmwareCampaign: [campaign.id],
        FirmwareCampaignDevice: [campaignDevice.id],
        MonitoringProfile: [profile.id],
        DeviceMetric: [device.id],
        AlarmRule: [alarmRule.id],
        Alarm: [alarm.id],
        DomainEvent: [domainEvent.id.toString()],
        Diagnostic: [diagnostic.id],
        ApiToken: [apiToken.id],
        Webhook: [webhook.id],
        WebhookSecret: [webhookSecret.id],
        WebhookDelivery: [delivery.id],
      },
    },
    sharedUserId: shared.id,
    platformId: platform.id,
  };
}
