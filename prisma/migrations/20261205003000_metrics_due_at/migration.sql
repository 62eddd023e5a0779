-- Until then an Inform need not ask whether the device's monitored metrics are due: the session that last queued
-- their read set it one profile interval ahead. NULL: ask at the next Inform.
ALTER TABLE "Device" ADD COLUMN "metricsDueAt" TIMESTAMPTZ(3);
