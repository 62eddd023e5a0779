export { databaseAnswers, isDatabaseUnavailable, isDatabaseWriteFailure } from "./availability.ts";
export { createDb, type Db, type DbOptions, queryRows } from "./client.ts";
export { checkDataFolder, type DataFolderState, formatBytes, MIN_FREE_BYTES } from "./data-folder.ts";
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
export {
  type RunStatus,
  type RunStatusChild,
  type RunStatusEvent,
  readRunStatus,
  runStatusPath,
} from "./run-status.ts";
