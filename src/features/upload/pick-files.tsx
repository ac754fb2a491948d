import { type ReactNode, useRef } from 'react';
import { AUDIO_ACCEPT } from '../../lib/audio-format';
import { createFileHasher, type HashFile } from './hash-file';

let sharedHasher: HashFile | null = null;
/** The same hasher as the queue's (a worker, the page as fallback), made on first use: a picked file is checked against a job's SHA-256 with it. */
export const hashPickedFile: HashFile = (blob, onProgress) => {
  sharedHasher ??= createFileHasher();
  return sharedHasher(blob, onProgress);
};

/**
 * The file picker a re-run opens when the job's bytes are not kept: `open`
 * must run inside the click (the browser lets a page open a picker only
 * then); the input itself is hidden, the button that calls `open` is the
 * control people see and name.
 */
export function useFilePicker({ label, multiple, onPicked }: { label: string; multiple: boolean; onPicked: (files: File[]) => void }): { open: () => void; input: ReactNode } {
  const ref = useRef<HTMLInputElement>(null);
  const input = (
    <input
      ref={ref}
      type="file"
      aria-label={label}
      multiple={multiple}
      accept={AUDIO_ACCEPT}
      tabIndex={-1}
      className="sr-only"
      onChange={(event) => {
        const files = [...(event.target.files ?? [])];
        // Picking the same files again must be seen as a new pick.
        event.target.value = '';
        if (files.length > 0) onPicked(files);
      }}
    />
  );
  return { open: () => ref.current?.click(), input };
}
