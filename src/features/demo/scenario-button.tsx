import { lazy, Suspense, useRef, useState } from 'react';

// Demo builds only: the panel's code is fetched when a presenter first opens it.
const ScenarioPanel = lazy(() => import('./scenario-panel'));

export function ScenarioButton() {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        className="rounded-md bg-amber-300 px-2 py-1 text-sm font-medium text-amber-950 hover:bg-amber-200 focus-visible:outline-2 focus-visible:outline-white"
        onClick={() => setOpen((was) => !was)}
      >
        Demo scenarios
      </button>
      {open ? (
        <Suspense fallback={null}>
          <ScenarioPanel
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
