import { z } from "zod";

/**
 * How a PMS's room numbers become the site's: a table of exceptions first ("0102" -> "102", "SUITE-A" -> "501"),
 * then the rules in order: strip a prefix, strip leading zeros, add a prefix. An empty mapping keeps numbers as
 * they are.
 */
export const RoomMapping = z.object({
  table: z
    .record(z.string().trim().min(1).max(50), z.string().trim().min(1).max(50))
    .default({})
    .refine((table) => Object.keys(table).length <= 5000, "at most 5000 rooms in the table"),
  stripPrefix: z.string().trim().max(20).default(""),
  stripLeadingZeros: z.boolean().default(false),
  addPrefix: z.string().trim().max(20).default(""),
});
export type RoomMapping = z.output<typeof RoomMapping>;

export function readRoomMapping(stored: unknown): RoomMapping {
  const parsed = RoomMapping.safeParse(stored ?? {});
  return parsed.success ? parsed.data : RoomMapping.parse({});
}

/** The site's room number for a PMS room number, or null when it is empty. */
export function beaconRoomNumber(mapping: RoomMapping, pmsRoom: string): string | null {
  const room = pmsRoom.trim();
  if (!room) return null;
  const listed = mapping.table[room];
  if (listed) return listed;
  let number = room;
  if (mapping.stripPrefix && number.startsWith(mapping.stripPrefix)) number = number.slice(mapping.stripPrefix.length);
  if (mapping.stripLeadingZeros) number = number.replace(/^0+(?=.)/, "");
  number = `${mapping.addPrefix}${number}`;
  return number || null;
}
