import { createRootRoute, createRoute, createRouter, type RouterHistory } from '@tanstack/react-router';
import { failedSearchSchema } from '../features/failed-jobs/failed-search';
import { JobRoute } from './job-route';
import { JobsPage } from '../features/jobs/jobs-page';
import { jobsSearchSchema } from '../features/jobs/jobs-search';
import { UploadPage } from './pages/upload-page';
import { CrashScreen } from './error-boundary';
import { Layout, NotFoundPage } from './layout';
import { FailedPage } from './pages/failed-page';
import { OverviewPage } from './pages/overview-page';
import { SettingsPage } from './pages/settings-page';

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
  return createRouter({ routeTree, history, defaultPreload: 'intent', scrollRestoration: true });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
