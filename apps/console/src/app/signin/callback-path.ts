import type { Route } from "next";

/** Where to go after signing in: only paths on this site, so the sign-in page cannot redirect elsewhere. */
export function safeCallbackPath(callbackUrl: string | undefined): Route {
  if (!callbackUrl?.startsWith("/") || callbackUrl.startsWith("//") || callbackUrl.startsWith("/\\")) {
    return "/";
  }
  if (callbackUrl.startsWith("/signin")) return "/";
  // Any same-site path is a route the console either serves or answers with its not-found page.
  return callbackUrl as Route;
}
