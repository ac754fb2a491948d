import { PageHeader } from '../../components/page-header';
import { ApiKeySettings } from '../../features/auth/api-key-settings';
import { ApiBaseSettings } from '../../features/settings/api-base-settings';
import { ApiHeadersDiagnosis } from '../../features/settings/api-headers-diagnosis';
import { KeptFilesSettings } from '../../features/settings/kept-files-settings';
import { keptFiles } from '../../features/upload/kept-files';
import { useAppConfig } from '../app-config';

export function SettingsPage() {
  const config = useAppConfig();
  return (
    <div className="space-y-6">
      <PageHeader title="Settings" description="The key and the API endpoint this console uses, and the files it keeps." />
      <ApiKeySettings />
      <ApiBaseSettings buildDefault={config.apiBase} />
      <ApiHeadersDiagnosis />
      <KeptFilesSettings keptFiles={keptFiles} />
    </div>
  );
}
