export * from "./errors.ts";
export * from "./auth/password.ts";
export * from "./auth/sign-in.ts";
export * from "./tenants/tenants.ts";
export * from "./users/users.ts";
export * from "./audit/record-audit.ts";
export * from "./devices/list-devices.ts";
