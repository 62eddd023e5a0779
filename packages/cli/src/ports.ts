import { createServer } from "node:net";
import { ConfigProblem } from "./config.ts";

/** Fails with a sentence naming the variable when a port Beacon needs is taken. */
export async function assertPortFree(port: number, variable: string): Promise<void> {
  const problem = await portProblem(port);
  if (problem === "in-use") {
    throw new ConfigProblem(
      `port ${port} is already in use (${variable}); is Beacon already running? Stop what uses it or set ${variable} to a free port`,
    );
  }
  if (problem === "denied") {
    throw new ConfigProblem(`port ${port} needs privileges this user lacks (${variable}); choose a port above 1023`);
  }
}

export function portProblem(port: number): Promise<"in-use" | "denied" | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      resolve(error.code === "EACCES" ? "denied" : "in-use");
    });
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
