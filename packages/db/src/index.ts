export { createDb, type Db, type DbOptions } from "./client.ts";
export * from "./generated/client.ts";
export {
  applyMigrations,
  MigrationChecksumMismatch,
  MigrationFailed,
  type MigrationReport,
  pendingMigrations,
  readMigrations,
} from "./migrate.ts";
export { migrationsDir } from "./paths.ts";
export { checkDatabase, type DatabaseState, describePgError, withPgClient } from "./pg.ts";
