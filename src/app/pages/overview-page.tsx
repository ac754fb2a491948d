import { Link } from '@tanstack/react-router';
import { lazy, Suspense, useSyncExternalStore } from 'react';
import { LoadingStatus } from '../../components/loading-status';
import { PageHeader } from '../../components/page-header';
import { AccountSummary } from '../../features/usage/account-summary';
import { firstScreenIdle } from '../../lib/first-screen-idle';
import { useUploadActivity } from '../live-strip';

// The 24-hour picture comes after the account's figures: its code is fetched with its data, off the first page, once
// the first screen is shown and the page is idle (so a cold load fetches nothing before then that the budget misses).
const ActivityPanel = lazy(() => import('../../features/usage/activity-panel').then((module) => ({ default: module.ActivityPanel })));

export function OverviewPage() {
  const uploads = useUploadActivity();
  const idle = useSyncExternalStore(firstScreenIdle.subscribe, firstScreenIdle.isIdle);
  const loading = <LoadingStatus what="the last 24 hours" />;
  return (
    <div className="space-y-6">
      <PageHeader title="Overview" description="Your NovaPulse account, its limits and how much of them is in use." />
      <AccountSummary uploads={uploads} />
      {idle ? (
        <Suspense fallback={loading}>
          <ActivityPanel />
        </Suspense>
      ) : (
        loading
      )}
      <div className="flex flex-wrap gap-4 text-sm">
        <Link to="/upload" className="text-indigo-700 underline">
          Upload audio
        </Link>
        <Link to="/jobs" className="text-indigo-700 underline">
          See all jobs
        </Link>
        <Link to="/failed" className="text-indigo-700 underline">
          Triage failed jobs
        </Link>
      </div>
    </div>
  );
}
