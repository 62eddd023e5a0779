/** One JSON line per event on stdout, like the ingress's pino lines, without the dependency. */
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

const ORDER: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: 100 };

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const at =
    (lvl: Exclude<LogLevel, "silent">) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[lvl] < ORDER[level]) return;
      const err = fields.err instanceof Error ? { err: { message: fields.err.message, stack: fields.err.stack } } : {};
      write(
        `${JSON.stringify({ level: ORDER[lvl], time: Date.now(), name: "beacon-usp", msg: message, ...fields, ...err })}\n`,
      );
    };
  return { info: at("info"), warn: at("warn"), error: at("error"), debug: at("debug") };
}
