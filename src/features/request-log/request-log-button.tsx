import { lazy } from 'react';
import { DrawerToggle } from '../../components/drawer-toggle';

// The drawer's code arrives when it is first opened: it is not part of the first page.
const RequestLogDrawer = lazy(() => import('./request-log-drawer'));

/** The header's "Request log" button and the drawer it opens (on every page, demo and production alike). */
export function RequestLogButton() {
  return (
    <DrawerToggle
      label="Request log"
      Drawer={RequestLogDrawer}
      className="rounded-md px-2 py-1 text-sm text-slate-200 ring-1 ring-slate-600 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-white"
    />
  );
}
