import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
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

export function Layout() {
  const config = useAppConfig();
  const key = useApiKey();
  const refreshSeconds = useRefreshSeconds();
  // The Overview shows the same gauges in full.
  const onOverview = useRouterState({ select: (state) => state.location.pathname === '/' });
  return (
    <ScreenRefreshProvider intervalMs={refreshSeconds > 0 ? refreshSeconds * 1000 : false}>
      <AccountRefresh enabled={key !== null} />
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        Skip to content
      </a>
      <header className="chrome-palette bg-slate-900 text-white">
        <div className="flex flex-wrap items-center justify-between gap-3 px-6 py-3">
          <div className="flex items-center gap-3">
            <span className="text-lg font-semibold tracking-tight">NovaPulse Console</span>
            {config.demo ? <DemoBadge /> : null}
            {config.demo ? <ScenarioButton onDemoKey={(demoKey) => keyStore.getState().keyEntered(demoKey, keyStore.getState().remembered)} /> : null}
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <JumpBox />
            <AccountName />
            <RequestLogButton />
            <ThemeSwitch />
            <button
              type="button"
              className="rounded-md px-2 py-1 text-sm text-slate-200 ring-1 ring-slate-600 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-white"
              onClick={() => keyStore.getState().dialogOpened()}
            >
              {key ? 'API key' : 'Enter API key'}
            </button>
          </div>
        </div>
        <nav aria-label="Main" className="px-4">
          <ul className="flex flex-wrap gap-1">
            {NAV.map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  activeOptions={{ exact: item.to === '/' }}
                  // The active tab joins the page below it, so it takes the page's palette.
                  activeProps={{ className: 'page-palette' }}
                  className="inline-block rounded-t-md px-3 py-2 text-sm text-slate-300 hover:text-white focus-visible:outline-2 focus-visible:outline-white data-[status=active]:bg-slate-50 data-[status=active]:text-slate-900"
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      {key && !onOverview ? <LiveStrip /> : null}
      <GateBanner />
      <QueueRestoreNotice />
      <main id="main" className="mx-auto max-w-6xl px-6 py-8">
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
