import { type ComponentType, type LazyExoticComponent, Suspense, useRef, useState } from 'react';

/**
 * A header button that opens a drawer loaded on demand, and gives the focus back to the button when the drawer
 * closes. The drawer gets `onClose`.
 */
export function DrawerToggle({ label, className, Drawer }: { label: string; className: string; Drawer: LazyExoticComponent<ComponentType<{ onClose: () => void }>> }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button ref={buttonRef} type="button" aria-expanded={open} className={className} onClick={() => setOpen((was) => !was)}>
        {label}
      </button>
      {open ? (
        <Suspense fallback={null}>
          <Drawer
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
