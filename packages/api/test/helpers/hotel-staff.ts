import { randomUUID } from "node:crypto";
import type { Db, Role } from "@beacon/db";
import { ensurePlatformTenant } from "@beacon/domain";

export interface HotelStaff {
  hotelId: string;
  /** One user per role, each holding only that role on the hotel: `<role>@hotel.example.com`. */
  users: Record<Role, string>;
}

/** A hotel under the platform with an owner, an operator, a support agent and a viewer, for role tests. */
export async function seedHotelStaff(db: Db): Promise<HotelStaff> {
  const platform = await ensurePlatformTenant(db);
  const hotelId = randomUUID();
  await db.tenant.create({
    data: { id: hotelId, name: "Hotel", kind: "hotel", parentId: platform.id, ancestorIds: [platform.id, hotelId] },
  });
  const users = {} as Record<Role, string>;
  for (const role of ["owner", "operator", "support", "viewer"] as const) {
    const user = await db.user.create({
      data: {
        email: `${role}@hotel.example.com`,
        passwordHash: "x",
        memberships: { create: { tenantId: hotelId, role } },
      },
    });
    users[role] = user.id;
  }
  return { hotelId, users };
}
