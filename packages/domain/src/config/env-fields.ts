import { z } from "zod";

/**
 * Field parsers shared by the servers' configuration modules (the ingress, the USP controller): each names its
 * variable in its error, so that a wrong value is reported as one sentence about that variable.
 */

export const envPort = (name: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be an integer from 1 to 65535`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, `${name} must be an integer from 1 to 65535`)
        .max(65535, `${name} must be an integer from 1 to 65535`),
    );

export const envBool = (name: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => ["true", "false", "1", "0", "yes", "no"].includes(v), `${name} must be true or false`)
    .transform((v) => v === "true" || v === "1" || v === "yes");

/** Comma- or space-separated values. */
export const envList = z.string().transform((v) =>
  v
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean),
);

export const envDatabaseUrl = z
  .string({ error: "DATABASE_URL is required (a postgresql:// connection string)" })
  .trim()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), "DATABASE_URL must be a postgresql:// connection string");
