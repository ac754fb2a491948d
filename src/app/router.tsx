import { createRootRoute, createRoute, createRouter, lazyRouteComponent, type RouterHistory } from '@tanstack/react-router';
import { failedSearchSchema } from '../features/failed-jobs/failed-search';
import { jobsSearchSchema } from '../features/jobs/jobs-search';
import { CrashScreen } from './error-boundary';
import { Layout, NotFoundPage } from './layout';
import { OverviewPage } from './pages/overview-page';
import { PageSkeleton } from './page-skeleton';

// Every page but the Overview is loaded on demand: the first page's JavaScript stays within its budget
// (scripts/check-bundle-budget.mjs); `defaultPreload: 'intent'` fetches a page's code on hover or focus of its link.
const UploadPage = lazyRouteComponent(() => import('./pages/upload-page'), 'UploadPage');
const JobsPage = lazyRouteComponent(() => import('../features/jobs/jobs-page'), 'JobsPage');
const JobRoute = lazyRouteComponent(() => import('./job-route'), 'JobRoute');
const FailedPage = lazyRouteComponent(() => import('./pages/failed-page'), 'FailedPage');
const SettingsPage = lazyRouteComponent(() => import('./pages/settings-page'), 'SettingsPage');

/** Loads every page's code now; tests call it once, as a page's first import in a cold test worker can outlast a findBy. */
export function preloadAllPages(): Promise<unknown> {
  return Promise.all([UploadPage, JobsPage, JobRoute, FailedPage, SettingsPage].map((page) => page.preload?.()));
}

const rootRoute = createRootRoute({
  component: Layout,
  notFoundComponent: NotFoundPage,
  errorComponent: ({ error }) => <CrashScreen error={error} />,
});

const routeTree = rootRoute.addChildren([
  createRoute({ getParentRoute: () => rootRoute, path: '/', component: OverviewPage }),
  createRoute({ getParentRoute: () => rootRoute, path: '/upload', component: UploadPage }),
  createRoute({ getParentRoute: () => rootRoute, path: '/jobs', component: JobsPage, validateSearch: jobsSearchSchema }),
  createRoute({ getParentRoute: () => rootRoute, path: '/jobs/$jobId', component: JobRoute }),
  createRoute({ getParentRoute: () => rootRoute, path: '/failed', component: FailedPage, validateSearch: failedSearchSchema }),
  createRoute({ getParentRoute: () => rootRoute, path: '/settings', component: SettingsPage }),
]);

export function createAppRouter(history?: RouterHistory) {
  return createRouter({ routeTree, history, defaultPreload: 'intent', scrollRestoration: true, defaultPendingComponent: PageSkeleton, defaultPendingMs: 150 });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
