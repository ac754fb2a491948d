import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { Panel } from '../../components/panel';

/**
 * The bytes of a job's file where this browser kept them (by SHA-256, or as the upload that made the job), or
 * undefined; the app passes the upload feature's store in.
 */
export type LoadKeptAudio = (file: { sha256: string; jobId: string }) => Promise<Blob | undefined>;

type KeptAudio = { state: 'looking' } | { state: 'not kept' } | { state: 'unreadable' } | { state: 'kept'; url: string };

const LOOKING: KeptAudio = { state: 'looking' };

/** An object URL over the kept bytes of job `jobId`'s file while the page shows it, released when it goes (or the file changes). */
export function useKeptAudioUrl(sha256: string, jobId: string, load: LoadKeptAudio | undefined): KeptAudio {
  const [audio, setAudio] = useState<KeptAudio>(LOOKING);
  useEffect(() => {
    if (!load) return;
    let live = true;
    let url: string | null = null;
    setAudio(LOOKING);
    load({ sha256, jobId }).then(
      (blob) => {
        if (!live) return;
        if (!blob) {
          setAudio({ state: 'not kept' });
          return;
        }
        url = URL.createObjectURL(blob);
        setAudio({ state: 'kept', url });
      },
      () => {
        if (live) setAudio({ state: 'unreadable' });
      },
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [sha256, jobId, load]);
  // Without a store to ask (the page used on its own), nothing is said either way.
  return load ? audio : LOOKING;
}

const PLAYHEAD_EVENTS = ['timeupdate', 'seeking', 'seeked', 'loadedmetadata', 'emptied'] as const;

/** Where `audio` is, in seconds, re-read as it plays or is moved; NaN without a player. */
export function usePlayhead(audio: HTMLAudioElement | null): number {
  const subscribe = useCallback(
    (changed: () => void) => {
      for (const event of PLAYHEAD_EVENTS) audio?.addEventListener(event, changed);
      return () => {
        for (const event of PLAYHEAD_EVENTS) audio?.removeEventListener(event, changed);
      };
    },
    [audio],
  );
  return useSyncExternalStore(subscribe, () => (audio ? audio.currentTime : Number.NaN));
}

/**
 * The job's file as this browser kept it, to listen to before a re-run or beside the transcript. One quiet line when
 * the bytes are not kept here (a colleague's upload, a seeded job, a file evicted from the store).
 */
export function KeptAudioPanel({
  fileName,
  audio,
  withTranscript,
  onPlayer,
}: {
  fileName: string;
  audio: KeptAudio;
  withTranscript: boolean;
  onPlayer: (player: HTMLAudioElement | null) => void;
}) {
  const [unplayable, setUnplayable] = useState(false);
  if (audio.state === 'unreadable') {
    return (
      <Panel title="Listen">
        <p className="mt-2 text-sm text-slate-700">The file could not be looked up in this browser's storage, so it cannot be played here.</p>
      </Panel>
    );
  }
  if (audio.state === 'not kept') {
    return <p className="px-1 text-sm text-slate-600">The file is not kept in this browser, so it cannot be played here.</p>;
  }
  if (audio.state === 'looking') return null;
  return (
    <Panel title="Listen">
      <p className="mt-1 text-sm text-slate-600">
        The file as uploaded from this browser{withTranscript ? '. The transcript follows it; pick a line to hear it.' : '.'}
      </p>
      {/* biome-ignore lint/a11y/useMediaCaption: the transcript on the page is the text alternative, its lines following playback; a job without one has no text to caption. */}
      <audio ref={onPlayer} controls preload="metadata" src={audio.url} aria-label={`Play ${fileName}`} className="mt-3 w-full" onError={() => setUnplayable(true)} />
      {unplayable ? (
        <p role="status" className="mt-2 text-sm text-slate-700">
          This browser cannot play this file's format (re-running it is not affected).
        </p>
      ) : null}
    </Panel>
  );
}
