import { PageHeader } from '../../components/page-header';

export function UploadPage() {
  return (
    <div>
      <PageHeader title="Upload audio" description="MP3, WAV, M4A, FLAC or OGG, up to 500 MB each." />
    </div>
  );
}
