import { z } from "zod";

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time is HH:MM, 00:00 to 23:59");

/**
 * A weekly maintenance window in the domain's time zone. `end` before `start` runs past midnight (22:00-04:00);
 * `days` are the ISO days it starts on (Monday 1 ... Sunday 7), every day when absent.
 */
export const MaintenanceWindow = z
  .strictObject({ days: z.array(z.number().int().min(1).max(7)).min(1).optional(), start: time, end: time })
  .refine((w) => w.start !== w.end, "a window needs an end different from its start");
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Day of the week (ISO) and minutes since midnight at `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: WEEKDAYS[part("weekday")] ?? 1, minutes: Number(part("hour")) * 60 + Number(part("minute")) };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when `at` lies in one of the windows, or when there are none (any time will do). */
export function withinMaintenanceWindow(windows: readonly MaintenanceWindow[], timeZone: string, at: Date): boolean {
  if (!windows.length) return true;
  const { day, minutes } = localTime(at, timeZone);
  const previous = day === 1 ? 7 : day - 1;
  return windows.some((w) => {
    const start = minutesOf(w.start);
    const end = minutesOf(w.end);
    const on = (d: number) => !w.days || w.days.includes(d);
    if (start < end) return on(day) && minutes >= start && minutes < end;
    return (on(day) && minutes >= start) || (on(previous) && minutes < end);
  });
}
