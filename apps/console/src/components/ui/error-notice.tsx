"use client";

import { PROBLEM_OF_TRPC_CODE, type ProblemCode } from "@beacon/api/problem-codes";
import { TRPCClientError } from "@trpc/client";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useRef } from "react";

/** The API's stable problem codes, each with a text in every language (errors.<code>), and two of the client's. */
export type ErrorCode = ProblemCode | "network" | "unknown";

/** The stable code of a failed request; "network" when the server was not reached at all. */
export function errorCode(error: unknown): ErrorCode {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: string } | undefined)?.code;
    if (code) return PROBLEM_OF_TRPC_CODE[code] ?? (code === "INTERNAL_SERVER_ERROR" ? "internal" : "unknown");
    return "network";
  }
  return "unknown";
}

/** Codes whose text says all there is: the server's own sentence adds nothing (or nothing to show). */
const SELF_EXPLAINED = new Set<ErrorCode>(["internal", "unavailable", "network", "unauthenticated"]);

/**
 * A failed request in the reader's language: in English the server's own sentence (it names what is wrong); in
 * another language the code's text, with the server's English sentence as a detail.
 */
export function useErrorMessage(): (error: unknown) => string {
  const t = useTranslations("errors");
  const locale = useLocale();
  return (error: unknown) => {
    const code = errorCode(error);
    const detail = error instanceof Error ? error.message.trim() : typeof error === "string" ? error : "";
    if (!(error instanceof TRPCClientError)) return detail || t(code);
    if (SELF_EXPLAINED.has(code)) return t(code);
    if (locale === "en") return detail || t(code);
    return detail ? `${t(code)} ${t("detail", { detail })}` : t(code);
  };
}

/** A failed request in one sentence; takes focus so keyboard and screen-reader users notice it. */
export function ErrorNotice({ error, focus = false }: { error: unknown; focus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const message = useErrorMessage();
  useEffect(() => {
    if (focus && error) ref.current?.focus();
  }, [error, focus]);
  if (!error) return null;
  return (
    <div
      ref={ref}
      role="alert"
      tabIndex={-1}
      data-error-code={errorCode(error)}
      className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
    >
      {message(error)}
    </div>
  );
}

export function Notice({ children }: { children: React.ReactNode }) {
  return (
    <output className="block rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
      {children}
    </output>
  );
}
