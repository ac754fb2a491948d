import type { Transcript } from '../../api/endpoints/get-transcript';
import { buttonStyles } from '../../components/button-styles';
import { downloadText } from '../../components/download-text';
import { formatTranscript, TRANSCRIPT_FORMATS, transcriptFileName } from '../../lib/transcript-formats';

export function TranscriptDownloads({ fileName, transcript }: { fileName: string; transcript: Transcript }) {
  return (
    <fieldset className="mt-3 flex flex-wrap items-center gap-2">
      <legend className="sr-only">Download transcript</legend>
      {TRANSCRIPT_FORMATS.map(({ format, label, mimeType }) => (
        <button
          key={format}
          type="button"
          className={buttonStyles.secondary}
          aria-label={`Download transcript as ${label}`}
          onClick={() => downloadText(transcriptFileName(fileName, format), formatTranscript(transcript, format), mimeType)}
        >
          .{format}
        </button>
      ))}
    </fieldset>
  );
}
