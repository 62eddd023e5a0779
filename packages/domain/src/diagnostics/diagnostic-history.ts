import type { Db, Diagnostic, DiagnosticKind } from "@beacon/db";
import { NotFound } from "../errors.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";

export interface DiagnosticPage {
  rows: Diagnostic[];
  total: number;
  page: number;
  pageSize: number;
}

/** One page of a device's diagnostic history, newest first, with the count of all of them. */
export async function listDiagnosticPage(
  db: Db,
  deviceId: string,
  query: { kind?: DiagnosticKind; page?: number; pageSize?: number } = {},
): Promise<DiagnosticPage> {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 10;
  const where = { deviceId, ...(query.kind ? { kind: query.kind } : {}) };
  const [total, rows] = await Promise.all([
    db.diagnostic.count({ where }),
    db.diagnostic.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
  ]);
  return { rows, total, page, pageSize };
}

/** One diagnostic the user can see; NotFound for one out of reach, as for one that does not exist. */
export async function getDiagnostic(db: ScopedDb, diagnosticId: string): Promise<Diagnostic> {
  const diagnostic = await db.diagnostic.findUnique({ where: { id: diagnosticId } });
  if (!diagnostic) throw new NotFound("diagnostic");
  return diagnostic;
}
