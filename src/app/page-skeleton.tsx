/** Shown while a page's code loads: the shape of a page, and a status for assistive tech. */
export function PageSkeleton() {
  return (
    <div className="space-y-4" aria-busy="true">
      <p role="status" className="sr-only">
        Loading the page…
      </p>
      <div className="h-7 w-56 animate-pulse rounded bg-slate-200" />
      <div className="h-4 w-96 max-w-full animate-pulse rounded bg-slate-200" />
      <div className="h-40 animate-pulse rounded-lg bg-slate-100" />
    </div>
  );
}
