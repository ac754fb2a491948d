import { Link } from '@tanstack/react-router';
import { PageHeader } from '../../components/page-header';
import { AccountSummary } from '../../features/usage/account-summary';
import { ActivityPanel } from '../../features/usage/activity-panel';
import { useUploadActivity } from '../live-strip';

export function OverviewPage() {
  const uploads = useUploadActivity();
  return (
    <div className="space-y-6">
      <PageHeader title="Overview" description="Your NovaPulse account, its limits and how much of them is in use." />
      <AccountSummary uploads={uploads} />
      <ActivityPanel />
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
