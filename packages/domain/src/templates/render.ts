import { randomInt } from "node:crypto";

/**
 * Template values with variables: "Hotel-{{room.number}}", "{{subscriber.id}}@isp", "{{random.passphrase(12)}}",
 * "{{device.serial | last(6)}}". A tiny grammar read by a tokenizer, never evaluated as code:
 *
 *   {{ term ( "|" filter )* }}     term: a.b.c | random.fn(args)      filter: name | name(args)
 *   args: integers or quoted strings
 */

/** What each namespace offers; `vars` holds free-form values an operator attached to a room, line or subscriber. */
export const VARIABLES: Readonly<Record<string, readonly string[]>> = {
  room: ["number", "name", "floor", "building", "passphrase", "vars"],
  site: ["id", "name"],
  domain: ["id", "name"],
  subscriber: ["id", "name", "address", "vars"],
  line: ["number", "loid", "slid", "servicePlan", "phoneNumber", "vars"],
  device: ["id", "serial", "mac", "oui", "productClass", "model", "manufacturer"],
};

const RANDOM_FUNCTIONS = ["passphrase", "digits", "hex", "alnum"] as const;
const FILTERS = ["upper", "lower", "trim", "default", "last", "first"] as const;

export interface VariableContext {
  /** Nested values by namespace: { room: { number: "101" }, device: { serial: "..." } }. */
  values: Record<string, unknown>;
  /** Why a whole namespace has no values here, e.g. { room: "the device is not assigned to a room" }. */
  unavailable?: Record<string, string>;
}

export type RenderResult =
  | {
      ok: true;
      value: string /** True when a random function took part: another render gives another value. */;
      generated: boolean;
    }
  | { ok: false; problem: string };

type Literal = string | number;
interface Call {
  name: string;
  args: Literal[];
}
interface Expression {
  path: string[];
  call: Literal[] | null;
  filters: Call[];
  source: string;
}

class TemplateSyntaxError extends Error {}

/** Replaces every {{...}} of `text`; the first variable without a value or any syntax error fails the whole value. */
export function renderValue(text: string, context: VariableContext): RenderResult {
  let parts: (string | Expression)[];
  try {
    parts = parseTemplateText(text);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return { ok: false, problem: error.message };
    throw error;
  }
  let out = "";
  let generated = false;
  for (const part of parts) {
    if (typeof part === "string") {
      out += part;
      continue;
    }
    const value = evaluate(part, context);
    if (!value.ok) return value;
    generated ||= value.generated;
    out += value.value;
  }
  return { ok: true, value: out, generated };
}

/** Syntax and variable names of a value, checked when a template version is saved; empty when fine. */
export function templateTextProblems(text: string): string[] {
  let parts: (string | Expression)[];
  try {
    parts = parseTemplateText(text);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return [error.message];
    throw error;
  }
  const problems: string[] = [];
  for (const part of parts) {
    if (typeof part === "string") continue;
    const problem = nameProblem(part);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** True when the text uses a variable of `namespace`, e.g. usesNamespace(v, "room"). */
export function usesVariable(text: string, dottedPath: string): boolean {
  try {
    return parseTemplateText(text).some((p) => typeof p !== "string" && p.path.join(".") === dottedPath);
  } catch {
    return false;
  }
}

function nameProblem(e: Expression): string | null {
  const [namespace, field] = e.path;
  if (namespace === "random") {
    if (e.path.length !== 2 || !RANDOM_FUNCTIONS.includes(field as (typeof RANDOM_FUNCTIONS)[number])) {
      return `{{${e.source}}}: random offers ${RANDOM_FUNCTIONS.map((f) => `random.${f}(n)`).join(", ")}`;
    }
    if (e.call === null) return `{{${e.source}}}: random.${field} needs parentheses, e.g. random.${field}(12)`;
    return null;
  }
  if (e.call !== null) return `{{${e.source}}}: only random.* functions take arguments`;
  const fields = namespace === undefined ? undefined : VARIABLES[namespace];
  if (!fields) {
    return `{{${e.source}}}: unknown variable; use one of ${[...Object.keys(VARIABLES), "random"].join(", ")}`;
  }
  if (field === undefined || !fields.includes(field)) {
    return `{{${e.source}}}: ${namespace} offers ${fields.map((f) => `${namespace}.${f}`).join(", ")}`;
  }
  if (field === "vars" ? e.path.length !== 3 : e.path.length !== 2) {
    return field === "vars"
      ? `{{${e.source}}}: name one value, e.g. ${namespace}.vars.pppoeUser`
      : `{{${e.source}}}: ${namespace}.${field} has no parts`;
  }
  return null;
}

function evaluate(e: Expression, context: VariableContext): RenderResult {
  const problem = nameProblem(e);
  if (problem) return { ok: false, problem };
  let value: string | undefined;
  let generated = false;
  if (e.path[0] === "random") {
    const made = randomValue(e.path[1]!, e.call ?? []);
    if (!made.ok) return { ok: false, problem: `{{${e.source}}}: ${made.problem}` };
    value = made.value;
    generated = true;
  } else {
    const found = lookup(context.values, e.path);
    value = found === undefined || found === null || found === "" ? undefined : String(found);
  }
  for (const filter of e.filters) {
    const applied = applyFilter(filter, value);
    if (!applied.ok) return { ok: false, problem: `{{${e.source}}}: ${applied.problem}` };
    value = applied.value;
  }
  if (value === undefined) {
    const why = context.unavailable?.[e.path[0]!];
    return { ok: false, problem: `{{${e.path.join(".")}}} has no value${why ? `: ${why}` : " here"}` };
  }
  return { ok: true, value, generated };
}

function lookup(values: Record<string, unknown>, path: string[]): unknown {
  let current: unknown = values;
  for (const key of path) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === "object" && current !== null ? undefined : current;
}

type Made = { ok: true; value: string | undefined } | { ok: false; problem: string };

function applyFilter(filter: Call, value: string | undefined): Made {
  const [first] = filter.args;
  switch (filter.name) {
    case "upper":
      return { ok: true, value: value?.toUpperCase() };
    case "lower":
      return { ok: true, value: value?.toLowerCase() };
    case "trim":
      return { ok: true, value: value?.trim() };
    case "default":
      if (first === undefined) return { ok: false, problem: "default needs a value, e.g. default('none')" };
      return { ok: true, value: value ?? String(first) };
    case "last":
    case "first": {
      if (typeof first !== "number" || first < 1)
        return { ok: false, problem: `${filter.name} needs a count, e.g. ${filter.name}(6)` };
      if (value === undefined) return { ok: true, value };
      return { ok: true, value: filter.name === "last" ? value.slice(-first) : value.slice(0, first) };
    }
    default:
      return { ok: false, problem: `unknown filter ${filter.name}; use ${FILTERS.join(", ")}` };
  }
}

// Letters and digits a guest can read off a printed card without confusing 0/O, 1/l/I.
const PASSPHRASE_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function randomValue(fn: string, args: Literal[]): { ok: true; value: string } | { ok: false; problem: string } {
  const length = args[0] ?? (fn === "passphrase" ? 10 : 8);
  if (typeof length !== "number" || !Number.isInteger(length))
    return { ok: false, problem: "the length is a whole number" };
  const [min, max] = fn === "passphrase" ? [8, 63] : [1, 64];
  if (length < min || length > max) return { ok: false, problem: `the length must be between ${min} and ${max}` };
  const alphabet =
    fn === "passphrase"
      ? PASSPHRASE_ALPHABET
      : fn === "digits"
        ? "0123456789"
        : fn === "hex"
          ? "0123456789abcdef"
          : ALNUM;
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return { ok: true, value: out };
}

function parseTemplateText(text: string): (string | Expression)[] {
  const parts: (string | Expression)[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf("{{", at);
    if (open === -1) {
      parts.push(text.slice(at));
      break;
    }
    if (open > at) parts.push(text.slice(at, open));
    const close = text.indexOf("}}", open + 2);
    if (close === -1) throw new TemplateSyntaxError(`"{{" at position ${open + 1} is never closed with "}}"`);
    parts.push(parseExpression(text.slice(open + 2, close)));
    at = close + 2;
  }
  return parts;
}

type Token = { t: "ident"; v: string } | { t: "num"; v: number } | { t: "str"; v: string } | { t: "punct"; v: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i))!;
      tokens.push({ t: "ident", v: m[0] });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+/.exec(source.slice(i))!;
      tokens.push({ t: "num", v: Number(m[0]) });
      i += m[0].length;
    } else if (c === "'" || c === '"') {
      const end = source.indexOf(c, i + 1);
      if (end === -1) throw new TemplateSyntaxError(`{{${source.trim()}}}: a quoted text is never closed`);
      tokens.push({ t: "str", v: source.slice(i + 1, end) });
      i = end + 1;
    } else if (".|(),".includes(c)) {
      tokens.push({ t: "punct", v: c });
      i++;
    } else {
      throw new TemplateSyntaxError(`{{${source.trim()}}}: unexpected "${c}"`);
    }
  }
  return tokens;
}

function parseExpression(source: string): Expression {
  const tokens = tokenize(source);
  const display = source.trim();
  let i = 0;
  const fail = (what: string): never => {
    throw new TemplateSyntaxError(display ? `{{${display}}}: ${what}` : `an empty {{}} ${what}`);
  };
  const ident = (): string => {
    const token = tokens[i];
    if (token?.t !== "ident") return fail("expected a name");
    i++;
    return token.v;
  };
  const punct = (v: string) => tokens[i]?.t === "punct" && tokens[i]!.v === v;
  const args = (): Literal[] => {
    const out: Literal[] = [];
    i++; // (
    while (!punct(")")) {
      const token = tokens[i];
      if (token?.t !== "num" && token?.t !== "str") return fail("arguments are numbers or quoted texts");
      out.push(token.v);
      i++;
      if (punct(",")) i++;
      else if (!punct(")")) return fail('expected "," or ")"');
    }
    i++; // )
    return out;
  };

  const path = [ident()];
  while (punct(".")) {
    i++;
    path.push(ident());
  }
  const call = punct("(") ? args() : null;
  const filters: Call[] = [];
  while (punct("|")) {
    i++;
    const name = ident();
    filters.push({ name, args: punct("(") ? args() : [] });
  }
  if (i < tokens.length) fail("unexpected text after the expression");
  return { path, call, filters, source: display };
}
