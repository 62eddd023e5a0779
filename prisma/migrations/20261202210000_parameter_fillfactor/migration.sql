-- Inform and GetParameterValues rewrite a parameter's value and time, never its key: with free room on the page
-- PostgreSQL makes those updates HOT (no new index entry). Prisma's schema has no word for storage parameters,
-- so this migration has no counterpart in schema.prisma.
ALTER TABLE "DeviceParameter" SET (fillfactor = 90);
