import { DomainError } from "@beacon/domain";
import { deviceCommand, tenantCommand, userCommand } from "./commands/admin.ts";
import { roomCommand, taskCommand, tokenCommand } from "./commands/api.ts";
import { doctor } from "./commands/doctor.ts";
import { parseStartArgs, start } from "./commands/start.ts";
import { worker } from "./commands/worker.ts";
import { ConfigProblem, readConfig } from "./config.ts";
import { migrate, openDatabase } from "./database.ts";

const USAGE = `usage: beacon <command>

  start                              run Beacon (what npm start does): database, ingress, console, worker
  start --only <role>[,<role>...]    run some roles only (ingress, usp, console, worker), e.g. one per machine
  worker                             run the background work only (campaigns, monitoring, webhooks)
  doctor                             check configuration, database and ports
  migrate                            apply pending database migrations
  tenant create <name> --kind <k> [--parent <id|name>] [--time-zone <tz>]
  tenant list [--json]
  user create <email> --password <pw> [--tenant <id|name>] [--role <role>]
  user reset-password <email> --password <pw>
  device list [--tenant <id|name>] [--json]
  task create <device id|serial> --kind reboot|factoryReset|refresh|readNetworkMap [--path P]
              [--set name=value ...] [--as <email>] [--json]
  task list <device id|serial> [--limit N] [--as <email>] [--json]
  room import <file.csv> --site <id|name> [--dry-run] [--as <email>] [--json]
  token create --tenant <id|name> --name <name> --role <role> --as <owner's email> [--days N] [--json]

Configuration comes from the environment; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 1;
  }
  const config = readConfig();
  switch (command) {
    case "start":
      return start(config, parseStartArgs(args));
    case "worker":
      return worker(config);
    case "doctor":
      return doctor(config);
    case "migrate": {
      const database = await openDatabase(config);
      try {
        const report = await migrate(database.url);
        process.stdout.write(
          report.applied.length ? `applied ${report.applied.join(", ")}\n` : "the database is up to date\n",
        );
        return 0;
      } finally {
        await database.stop();
      }
    }
    case "tenant":
      return tenantCommand(config, args);
    case "user":
      return userCommand(config, args);
    case "device":
      return deviceCommand(config, args);
    case "task":
      return taskCommand(config, args);
    case "token":
      return tokenCommand(config, args);
    case "room":
      return roomCommand(config, args);
    default:
      throw new ConfigProblem(`unknown command "${command}"; run \`npx beacon help\``);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof ConfigProblem || error instanceof DomainError;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`beacon: ${message}\n`);
    if (!known && process.env.BEACON_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
