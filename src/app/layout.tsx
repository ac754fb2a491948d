import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState } from 'react';
import { useApiClient } from '../api/api-client-context';
import { accountQueryOptions } from '../api/endpoints/get-account';
import { buttonStyles } from '../components/button-styles';
import { useDocumentTitle } from '../components/page-header';
import { useAccountRefresh } from '../features/usage/use-account-refresh';
import { ScreenRefreshProvider } from '../components/screen-refresh';
import { ApiKeyDialog } from '../features/auth/api-key-dialog';
import { keyStore, useApiKey } from '../features/auth/key-store';
import { DemoBadge } from '../features/demo/demo-badge';
import { ScenarioButton } from '../features/demo/scenario-button';
import { UseDemoKeyButton } from '../features/demo/use-demo-key-button';
import { JumpBox } from '../features/jobs/jump-box';
import { RequestLogButton } from '../features/request-log/request-log-button';
import { useRefreshSeconds } from '../features/settings/settings-store';
import { ThemeSwitch } from '../features/settings/theme-switch';
import { QueueRestoreNotice } from '../features/upload/queue-restore-notice';
import { firstScreenIdle } from '../lib/first-screen-idle';
import { useAppConfig } from './app-config';
import { GateBanner } from './gate-banner';
import { LiveStrip } from './live-strip';

const NAV = [
  { to: '/', label: 'Overview' },
  { to: '/upload', label: 'Upload' },
  { to: '/jobs', label: 'Jobs' },
  { to: '/failed', label: 'Failed jobs' },
  { to: '/settings', label: 'Settings' },
] as const;

function AccountName() {
  const client = useApiClient();
  const key = useApiKey();
  const account = useQuery({ ...accountQueryOptions(client), enabled: key !== null });
  if (!account.data) return null;
  return (
    <span className="text-sm text-slate-300">
      {account.data.account.name} · <span className="capitalize">{account.data.account.tier}</span>
    </span>
  );
}

/** The gauges' account reads, once for the whole console, inside the refresh setting's provider. */
function AccountRefresh({ enabled }: { enabled: boolean }) {
  useAccountRefresh(enabled);
  return null;
}

/**
 * The header. From lg up everything is in view; below it a "Menu" disclosure holds the tools (and, below md, the
 * navigation too), so a phone's header is one short line until the menu is opened.
 */
function SiteHeader({ demo, hasKey }: { demo: boolean; hasKey: boolean }) {
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const toolsId = useId();
  const navId = useId();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  // A link followed from the open menu has done its job: the menu closes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new address is the trigger.
  useEffect(() => setOpen(false), [pathname]);
  const header = useRef<HTMLElement>(null);
  const jumpWanted = useRef(false);
  useEffect(() => {
    // "/" focuses the jump box (JumpBox's own shortcut); while the menu is folded the box is hidden, so it opens first.
    function onKeyDown(event: globalThis.KeyboardEvent) {
      if (event.key !== '/' || !event.defaultPrevented) return;
      const box = header.current?.querySelector<HTMLInputElement>('input[aria-keyshortcuts="/"]');
      if (!box || document.activeElement === box) return;
      jumpWanted.current = true;
      setOpen(true);
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
  useEffect(() => {
    if (!open || !jumpWanted.current) return;
    jumpWanted.current = false;
    header.current?.querySelector<HTMLInputElement>('input[aria-keyshortcuts="/"]')?.focus();
  }, [open]);
  useEffect(() => {
    if (!open) return;
    function onKeyDown(event: globalThis.KeyboardEvent) {
      // A drawer or dialog opened from the menu handles its own Escape; the menu stays as it was under it.
      if (event.key !== 'Escape' || (event.target instanceof Element && event.target.closest('aside, dialog'))) return;
      setOpen(false);
      const focus = document.activeElement;
      if (!focus || focus === document.body || header.current?.contains(focus)) menuButton.current?.focus();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [open]);
  const shown = open ? 'flex' : 'hidden';
  return (
    <header ref={header} className="chrome-palette bg-slate-900 text-white">
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2 px-4 py-2 sm:px-6 lg:py-3">
        <div className="flex min-w-0 items-center gap-2 md:gap-3">
          <span className="truncate text-base font-semibold tracking-tight md:text-lg">NovaPulse Console</span>
          {demo ? <DemoBadge /> : null}
        </div>
        <button
          ref={menuButton}
          type="button"
          aria-expanded={open}
          aria-controls={`${toolsId} ${navId}`}
          className="inline-flex min-h-10 items-center gap-2 rounded-md px-3 text-sm font-medium text-slate-100 ring-1 ring-slate-600 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-white lg:hidden"
          onClick={() => setOpen((was) => !was)}
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
            {open ? (
              <path d="M5.3 4.2 10 8.9l4.7-4.7 1.1 1.1-4.7 4.7 4.7 4.7-1.1 1.1-4.7-4.7-4.7 4.7-1.1-1.1 4.7-4.7-4.7-4.7z" />
            ) : (
              <path d="M3 5h14v1.6H3zm0 4.2h14v1.6H3zm0 4.2h14V15H3z" />
            )}
          </svg>
          Menu
        </button>
        <div id={toolsId} className={`${shown} w-full flex-wrap items-center gap-3 pb-2 lg:flex lg:w-auto lg:pb-0`}>
          {demo ? <ScenarioButton onDemoKey={(demoKey) => keyStore.getState().keyEntered(demoKey, keyStore.getState().remembered)} /> : null}
          <JumpBox />
          <AccountName />
          <RequestLogButton />
          <ThemeSwitch />
          <button
            type="button"
            className="rounded-md px-2 py-1 text-sm text-slate-200 ring-1 ring-slate-600 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-white"
            onClick={() => keyStore.getState().dialogOpened()}
          >
            {hasKey ? 'API key' : 'Enter API key'}
          </button>
        </div>
      </div>
      <nav id={navId} aria-label="Main" className={`${open ? 'block' : 'hidden'} px-4 pb-2 md:block md:pb-0`}>
        <ul className="flex flex-col gap-1 md:flex-row md:flex-wrap">
          {NAV.map((item) => (
            <li key={item.to}>
              <Link
                to={item.to}
                activeOptions={{ exact: item.to === '/' }}
                // The active tab joins the page below it, so it takes the page's palette.
                activeProps={{ className: 'page-palette' }}
                className="block rounded-md px-3 py-2 text-sm text-slate-300 hover:text-white focus-visible:outline-2 focus-visible:outline-white data-[status=active]:bg-slate-50 data-[status=active]:text-slate-900 md:inline-block md:rounded-b-none"
              >
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

export function Layout() {
  const config = useAppConfig();
  const key = useApiKey();
  const refreshSeconds = useRefreshSeconds();
  // The Overview shows the same gauges in full.
  const onOverview = useRouterState({ select: (state) => state.location.pathname === '/' });
  // The header, the page and the key dialog are drawn: what waits for the first screen may follow once the page is idle.
  useEffect(() => firstScreenIdle.firstScreenShown(), []);
  return (
    <ScreenRefreshProvider intervalMs={refreshSeconds > 0 ? refreshSeconds * 1000 : false}>
      <AccountRefresh enabled={key !== null} />
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        Skip to content
      </a>
      <SiteHeader demo={config.demo} hasKey={key !== null} />
      {key && !onOverview ? <LiveStrip /> : null}
      <GateBanner />
      <QueueRestoreNotice />
      <main id="main" className="mx-auto max-w-6xl px-4 py-5 sm:px-6 sm:py-8">
        <Outlet />
      </main>
      <ApiKeyDialog
        extraActions={
          config.demo
            ? (remember) => <UseDemoKeyButton apiBase={config.apiBase} onKey={(demoKey) => keyStore.getState().keyEntered(demoKey, remember)} />
            : undefined
        }
      />
    </div>
    </ScreenRefreshProvider>
  );
}

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600">There is nothing at this address.</p>
      <Link to="/" className={`${buttonStyles.secondary} mt-4`}>
        Go to the overview
      </Link>
    </div>
  );
}
