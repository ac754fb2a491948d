import { Link } from '@tanstack/react-router';
import { lazy, Suspense } from 'react';
import { LoadingStatus } from '../../components/loading-status';
import { PageHeader } from '../../components/page-header';
import { AccountSummary } from '../../features/usage/account-summary';
import { useUploadActivity } from '../live-strip';

// The 24-hour picture comes after the account's figures: its code is fetched with its data, off the first page.
const ActivityPanel = lazy(() => import('../../features/usage/activity-panel').then((module) => ({ default: module.ActivityPanel })));

export function OverviewPage() {
  const uploads = useUploadActivity();
  return (
    <div className="space-y-6">
      <PageHeader title="Overview" description="Your NovaPulse account, its limits and how much of them is in use." />
      <AccountSummary uploads={uploads} />
      <Suspense fallback={<LoadingStatus what="the last 24 hours" />}>
        <ActivityPanel />
      </Suspense>
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
