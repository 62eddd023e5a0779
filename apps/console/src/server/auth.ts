import { isDatabaseUnavailable } from "@beacon/db";
import { clientAddress, endSessions, type SignInResult, sessionStillValid, signIn } from "@beacon/domain";
import { connection } from "next/server";
import type { AuthOptions } from "next-auth";
import { getServerSession } from "next-auth/next";
import CredentialsProvider from "next-auth/providers/credentials";
import { consoleConfig } from "./config.ts";
import { consoleDb } from "./db.ts";
import { secureCookies } from "./secure-cookies.ts";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string };
  }
}

// Sessions are JWTs in an encrypted cookie; every API call still checks that the account exists and is enabled.
const SESSION_HOURS = 12;

/** next-auth's options, built on first use so that `next build` does not need the runtime environment. */
export function authOptions(): AuthOptions {
  const config = consoleConfig();
  return {
    secret: config.authSecret,
    useSecureCookies: secureCookies(config.publicUrl),
    session: { strategy: "jwt", maxAge: SESSION_HOURS * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, request) {
          const forwardedFor: unknown = request?.headers?.["x-forwarded-for"];
          const attempt = {
            email: credentials?.email ?? "",
            password: credentials?.password ?? "",
            address: clientAddress(typeof forwardedFor === "string" ? forwardedFor : undefined),
          };
          const result = await signIn(consoleDb(), attempt).catch((error: unknown) => {
            // The thrown message reaches the (anonymous) sign-in page: never the database's own words.
            console.error("[auth] sign-in failed on the server", error);
            throw new Error(isDatabaseUnavailable(error) ? "beacon:unavailable" : "beacon:server");
          });
          // next-auth hands a thrown message to the sign-in page as its `error`: a code the page words in the
          // reader's language (app/signin/sign-in-failure.ts).
          if (!result.ok) throw new Error(signInFailureCode(result));
          const { id, email, name, sessionVersion } = result.user;
          return { id, email, name, sessionVersion };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
        }
        return token;
      },
      // Every request: a session made before the account signed out, changed its password, lost a role or was
      // disabled no longer counts (a stateless JWT alone would live on for its 12 hours).
      async session({ session, token }) {
        const id = token.sub ?? "";
        // With the database down nothing can be checked; every API call fails on its own then (database outage).
        const valid = id !== "" && (await sessionStillValid(consoleDb(), id, Number(token.sv ?? 0)).catch(() => true));
        session.user = { id: valid ? id : "", email: token.email ?? "", name: token.name ?? "" };
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.sub) await endSessions(consoleDb(), token.sub);
      },
    },
    logger: {
      error: (code, metadata) => console.error(`[auth] ${code}`, metadata),
      warn: (code) => {
        // Without NEXTAUTH_URL next-auth works from the request; the warning would only confuse operators.
        if (code !== "NEXTAUTH_URL") console.warn(`[auth] ${code}`);
      },
      debug: () => {},
    },
  };
}

/** "beacon:invalid-credentials", "beacon:locked:pair:120" ... for the sign-in page to put into words. */
function signInFailureCode(result: Exclude<SignInResult, { ok: true }>): string {
  if (result.reason === "locked") return `beacon:locked:${result.scope}:${result.retryAfterSeconds}`;
  return `beacon:${result.reason}`;
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

/** The signed-in user from the session cookie, or null. Whether the account is still enabled is the API's check. */
export async function sessionUser(): Promise<SessionUser | null> {
  // Reading the session makes a page per-request; say so before touching the configuration at build time.
  await connection();
  const session = await getServerSession(authOptions());
  return session?.user.id ? session.user : null;
}

export async function sessionUserId(): Promise<string | null> {
  return (await sessionUser())?.id ?? null;
}
