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
  noun: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Pages" className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
      <p>
        {total === 0
          ? `No ${noun}`
          : `${first}–${last} of ${exact ? "" : "more than "}${total.toLocaleString()} ${noun}`}
      </p>
      <div className="flex items-center gap-2">
        <Button size="sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          Previous
        </Button>
        <span aria-current="page">
          Page {page} of {exact ? "" : "more than "}
          {pages.toLocaleString()}
        </span>
        <Button size="sm" disabled={page >= pages} onClick={() => onPage(page + 1)}>
          Next
        </Button>
      </div>
    </nav>
  );
}
