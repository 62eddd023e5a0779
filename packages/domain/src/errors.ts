/** Typed domain errors; tRPC, Fastify and the CLI each translate them once. */
export class DomainError extends Error {
  constructor(
    readonly code: "NOT_FOUND" | "NOT_ALLOWED" | "INVALID" | "CONFLICT" | "UNAUTHENTICATED" | "TOO_MANY_ATTEMPTS",
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends DomainError {
  constructor(what: string) {
    super("NOT_FOUND", `${what} not found`);
  }
}

export class NotAllowed extends DomainError {
  constructor(message = "you are not allowed to do this") {
    super("NOT_ALLOWED", message);
  }
}

export class Invalid extends DomainError {
  constructor(message: string) {
    super("INVALID", message);
  }
}

export class Conflict extends DomainError {
  constructor(message: string) {
    super("CONFLICT", message);
  }
}
