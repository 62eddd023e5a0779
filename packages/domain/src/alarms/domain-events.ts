import type { Db, DomainEvent, Prisma } from "@beacon/db";

/**
 * An outbox of things that happened (alarm raised or cleared, campaign paused ...), written in the same
 * transaction as the change. Webhooks and other listeners read it in order of id, remembering the last id
 * they handled; nothing here delivers anything.
 */

export const DOMAIN_EVENT_TYPES = [
  "alarm.raised",
  "alarm.changed",
  "alarm.cleared",
  "alarm.acknowledged",
  "firmware.campaign.paused",
  "firmware.campaign.completed",
  "diagnostic.completed",
] as const;

export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

export interface DomainEventInput {
  tenantId: string;
  type: DomainEventType;
  deviceId?: string | null;
  subjectType?: string;
  subjectId?: string;
  payload?: Prisma.InputJsonValue;
}

export async function recordDomainEvent(db: Pick<Db, "domainEvent">, input: DomainEventInput): Promise<void> {
  await db.domainEvent.create({ data: input });
}

export interface DomainEventFilter {
  /** Events of this domain and every domain below it; all domains when absent. */
  tenantId?: string;
  /** Only events after this id: the last one a listener handled. */
  afterId?: bigint;
  types?: readonly DomainEventType[];
  limit?: number;
}

/** Events in the order they happened. */
export async function listDomainEvents(db: Db, filter: DomainEventFilter = {}): Promise<DomainEvent[]> {
  return db.domainEvent.findMany({
    where: {
      ...(filter.tenantId ? { tenant: { ancestorIds: { has: filter.tenantId } } } : {}),
      ...(filter.afterId !== undefined ? { id: { gt: filter.afterId } } : {}),
      ...(filter.types?.length ? { type: { in: [...filter.types] } } : {}),
    },
    orderBy: { id: "asc" },
    take: Math.min(filter.limit ?? 100, 1000),
  });
}
