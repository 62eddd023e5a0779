-- Beacon never keeps a CPE's management or connection-request password as a parameter value
-- (packages/domain/src/secrets/secret-parameters.ts): forget those read before that rule.
UPDATE "DeviceParameter" SET "value" = NULL
WHERE "value" IS NOT NULL
  AND "name" ~ '(^|\.)ManagementServer\.(Password|ConnectionRequestPassword|STUNPassword)$';
