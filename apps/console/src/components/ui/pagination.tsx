"use client";

import { useLocale, useTranslations } from "next-intl";
import { Button } from "./button.tsx";

export function Pagination({
  page,
  pageSize,
  total,
  onPage,
  noun,
  exact = true,
}: {
  page: number;
  pageSize: number;
  total: number;
  /** false: there are more than `total` (the count stopped there). */
  exact?: boolean;
  onPage: (page: number) => void;
  /**
   * What is counted: a function of the count giving the counted phrase ("120 devices", with its plural), or, as
   * before, a plural noun ("devices").
   */
  noun: string | ((count: number) => string);
}) {
  const t = useTranslations("common");
  const locale = useLocale();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const number = (n: number) => n.toLocaleString(locale);
  let range: string;
  if (typeof noun === "function") {
    const items = noun(total);
    range =
      total === 0 ? items : t(exact ? "pagination.rangeItems" : "pagination.rangeItemsMore", { first, last, items });
  } else {
    range =
      total === 0
        ? t("pagination.none", { noun })
        : t(exact ? "pagination.range" : "pagination.rangeMore", { first, last, total: number(total), noun });
  }
  return (
    <nav
      aria-label={t("pagination.label")}
      className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600"
    >
      <p>{range}</p>
      <div className="flex items-center gap-2">
        <Button size="sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          {t("actions.previous")}
        </Button>
        <span aria-current="page">
          {t(exact ? "pagination.page" : "pagination.pageMore", { page, pages: number(pages) })}
        </span>
        <Button size="sm" disabled={page >= pages} onClick={() => onPage(page + 1)}>
          {t("actions.next")}
        </Button>
      </div>
    </nav>
  );
}
