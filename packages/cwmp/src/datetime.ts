/**
 * xsd:dateTime as CPEs send it. The codec keeps the raw text in messages; this turns it into a Date when it
 * is a real instant, and into undefined otherwise (never throws). A missing time zone is read as UTC.
 * "0001-01-01T00:00:00Z" is TR-069's "unknown time" and parses to year 1.
 */
export function parseDateTime(raw: string): Date | undefined {
  const s = raw.trim();
  // YYYY-MM-DDThh:mm:ss[.fff...][Z|(+|-)hh:mm]
  if (s.length < 19 || s.length > 40) return undefined;
  if (s[4] !== "-" || s[7] !== "-" || (s[10] !== "T" && s[10] !== "t") || s[13] !== ":" || s[16] !== ":") {
    return undefined;
  }
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 7);
  const day = digits(s, 8, 10);
  const hour = digits(s, 11, 13);
  const minute = digits(s, 14, 16);
  const second = digits(s, 17, 19);
  if (year === undefined || month === undefined || day === undefined) return undefined;
  if (hour === undefined || minute === undefined || second === undefined) return undefined;
  let k = 19;
  let millis = 0;
  if (s[k] === ".") {
    const start = ++k;
    while (k < s.length && isDigit(s.charCodeAt(k))) k++;
    if (k === start) return undefined;
    millis = Math.floor(Number(`0.${s.slice(start, k)}`) * 1000);
  }
  let offsetMinutes = 0;
  const zone = s.slice(k);
  if (zone === "Z" || zone === "z" || zone === "") {
    offsetMinutes = 0;
  } else if ((zone[0] === "+" || zone[0] === "-") && zone.length === 6 && zone[3] === ":") {
    const oh = digits(zone, 1, 3);
    const om = digits(zone, 4, 6);
    if (oh === undefined || om === undefined || oh > 14 || om > 59) return undefined;
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om);
  } else {
    return undefined;
  }
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0 || millis > 0))) {
    return undefined;
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, Math.min(second, 59), millis);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function digits(s: string, from: number, to: number): number | undefined {
  let n = 0;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (!isDigit(c)) return undefined;
    n = n * 10 + (c - 0x30);
  }
  return n;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
