import { lazy, Suspense, useRef, useState } from 'react';

// The drawer's code arrives when it is first opened: it is not part of the first page.
const RequestLogDrawer = lazy(() => import('./request-log-drawer'));

/** The header's "Request log" button and the drawer it opens (on every page, demo and production alike). */
export function RequestLogButton() {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        className="rounded-md px-2 py-1 text-sm text-slate-200 ring-1 ring-slate-600 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-white"
        onClick={() => setOpen((was) => !was)}
      >
        Request log
      </button>
      {open ? (
        <Suspense fallback={null}>
          <RequestLogDrawer
            onClose={() => {
              setOpen(false);
              buttonRef.current?.focus();
            }}
          />
        </Suspense>
      ) : null}
    </>
  );
}
