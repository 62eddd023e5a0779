import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { DOMAIN_HEADER } from "./i18n/locales.ts";
import { consoleConfig } from "./server/config.ts";
import { secureCookies } from "./server/secure-cookies.ts";

/**
 * Sends signed-out visitors of console pages to /signin. An early redirect only: the pages' layout and every API
 * procedure check the session themselves.
 */
export async function proxy(request: NextRequest) {
  const config = consoleConfig();
  const token = await getToken({
    req: request,
    secret: config.authSecret,
    secureCookie: secureCookies(config.publicUrl),
  });
  if (token?.sub) {
    // The page's domain, for its language (src/i18n/request.ts); never one a client sent itself.
    const headers = new Headers(request.headers);
    const domain = request.nextUrl.searchParams.get("domain");
    if (domain) headers.set(DOMAIN_HEADER, domain);
    else headers.delete(DOMAIN_HEADER);
    return NextResponse.next({ request: { headers } });
  }
  const signIn = new URL("/signin", request.url);
  const target = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (target !== "/") signIn.searchParams.set("callbackUrl", target);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Pages only: the API answers for itself (health is public, auth is next-auth, tRPC checks every call).
  matcher: ["/((?!api/|signin|_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
