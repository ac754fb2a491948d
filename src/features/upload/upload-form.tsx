import { isApiError } from '../../api/api-error';
import { useQuery } from '@tanstack/react-query';
import { type DragEvent, type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useApiClient, useGateState } from '../../api/api-client-context';
import { accountQueryOptions, CONTRACT_MAX_FILE_BYTES } from '../../api/endpoints/get-account';
import type { Pipeline } from '../../api/schemas';
import { buttonStyles } from '../../components/button-styles';
import { formatBytes } from '../../lib/format';
import { COMMON_LANGUAGES, DEFAULT_LANGUAGE } from '../../lib/language-tag';
import { useUploads } from './upload-context';
import type { NewUpload } from './upload-queue-store';
import { checkFile, describeFormat, languageLabel, languageProblem, type MetadataPair, metadataFromPairs } from './validate-upload';
import { AUDIO_ACCEPT } from '../../lib/audio-format';

interface Picked {
  id: string;
  file: File;
  check: Awaited<ReturnType<typeof checkFile>> | null;
}


async function filesFromEntry(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile) {
    return new Promise((resolve) => (entry as FileSystemFileEntry).file((file) => resolve([file]), () => resolve([])));
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const entries: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve) => reader.readEntries(resolve, () => resolve([])));
    if (batch.length === 0) break;
    entries.push(...batch);
  }
  return (await Promise.all(entries.map(filesFromEntry))).flat();
}

export function UploadForm() {
  const client = useApiClient();
  const gate = useGateState();
  const account = useQuery(accountQueryOptions(client));
  const { store, blobs } = useUploads();
  const [picked, setPicked] = useState<Picked[]>([]);
  const [pipeline, setPipeline] = useState<Pipeline>('transcription');
  const [language, setLanguage] = useState(DEFAULT_LANGUAGE);
  const [pairs, setPairs] = useState<MetadataPair[]>([{ key: '', value: '' }]);
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [saving, setSaving] = useState(false);
  const ids = { files: useId(), folder: useId(), language: useId(), languages: useId(), languageProblem: useId(), languageName: useId() };

  // A key that may upload but not read the account still uploads, checked against the contract's limit.
  const accountUnreadable = !account.data && isApiError(account.error) && account.error.code === 'insufficient_permissions';
  const maxFileBytes = account.data?.limits.max_file_bytes ?? (accountUnreadable ? CONTRACT_MAX_FILE_BYTES : null);
  const canWrite = account.data ? account.data.key.scopes.includes('jobs:write') : true;
  const langProblem = languageProblem(language);
  const langName = langProblem ? null : languageLabel(language);

  // Files picked before the account's limits arrive wait, "checking", and are checked as soon as the limits are known:
  // never dropped.
  async function addFiles(files: File[]) {
    if (files.length === 0) return;
    setPicked((previous) => [...previous, ...files.map((file): Picked => ({ id: crypto.randomUUID(), file, check: null }))]);
  }
  const checksStarted = useRef(new Set<string>());
  useEffect(() => {
    if (maxFileBytes === null) return;
    const unchecked = picked.filter((item) => item.check === null && !checksStarted.current.has(item.id));
    if (unchecked.length === 0) return;
    for (const item of unchecked) checksStarted.current.add(item.id);
    void Promise.all(unchecked.map(async (item) => ({ ...item, check: await checkFile(item.file, maxFileBytes) }))).then((checked) =>
      setPicked((previous) => previous.map((item) => checked.find((done) => done.id === item.id) ?? item)),
    );
  }, [picked, maxFileBytes]);

  async function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    const entries = [...event.dataTransfer.items].map((item) => item.webkitGetAsEntry?.()).filter((entry): entry is FileSystemEntry => Boolean(entry));
    const files = entries.length > 0 ? (await Promise.all(entries.map(filesFromEntry))).flat() : [...event.dataTransfer.files];
    await addFiles(files);
  }

  const valid = picked.filter((item) => item.check?.ok);
  const invalid = picked.filter((item) => item.check && !item.check.ok);
  const checking = picked.filter((item) => item.check === null).length;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const metadata = metadataFromPairs(pairs);
    if ('problem' in metadata) {
      setFormProblem(metadata.problem);
      return;
    }
    if (langProblem) {
      // The message already stands under the field; take the person there.
      setFormProblem(null);
      document.getElementById(ids.language)?.focus();
      return;
    }
    if (valid.length === 0) {
      setFormProblem('Choose at least one audio file.');
      return;
    }
    setFormProblem(null);
    setSaving(true);
    try {
      const uploads: NewUpload[] = [];
      for (const item of valid) {
        if (!item.check?.ok) continue;
        // The bytes are kept in IndexedDB first, so a reload from here on loses nothing.
        await blobs.put(item.id, item.file);
        uploads.push({ id: item.id, fileName: item.file.name, size: item.file.size, format: item.check.format, pipeline, language, metadata: metadata.metadata });
      }
      // Files of the same pick refused before sending go into the batch too, named and counted there, never dropped.
      const refused = invalid.flatMap((item) =>
        item.check && !item.check.ok ? [{ id: item.id, fileName: item.file.name, size: item.file.size, code: item.check.code, reason: item.check.reason }] : [],
      );
      store.getState().uploadsQueued(uploads, Date.now(), refused);
      setPicked((previous) => previous.filter((item) => !uploads.some((upload) => upload.id === item.id) && !refused.some((file) => file.id === item.id)));
    } catch (error) {
      setFormProblem(`The files could not be kept in this browser's storage (${error instanceof Error ? error.message : String(error)}). Free some disk space and try again.`);
    } finally {
      setSaving(false);
    }
  }

  if (!canWrite) {
    return (
      <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
        This key cannot upload: it lacks the <span className="font-mono">jobs:write</span> scope. Use a key with that scope to upload audio.
      </p>
    );
  }

  return (
    <form onSubmit={submit} className="space-y-5 rounded-lg border border-slate-200 bg-white p-5" aria-label="Upload audio" noValidate>
      <section
        aria-label="Files"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`rounded-lg border-2 border-dashed p-5 text-center ${dragging ? 'border-indigo-600 bg-indigo-50' : 'border-slate-300'}`}
      >
        <p className="text-sm text-slate-700">Drop audio files or a folder here, or choose them.</p>
        <div className="mt-3 flex flex-wrap justify-center gap-3">
          <label htmlFor={ids.files} className={`${buttonStyles.secondary} focus-within:outline-2 focus-within:outline-indigo-600 ${maxFileBytes === null ? 'cursor-not-allowed opacity-50' : 'cursor-pointer'}`}>
            Choose audio files
            <input
              id={ids.files}
              type="file"
              multiple
              accept={AUDIO_ACCEPT}
              className="sr-only"
              disabled={maxFileBytes === null}
              onChange={(event) => {
                void addFiles([...(event.target.files ?? [])]);
                event.target.value = '';
              }}
            />
          </label>
          <label htmlFor={ids.folder} className={`${buttonStyles.secondary} focus-within:outline-2 focus-within:outline-indigo-600 ${maxFileBytes === null ? 'cursor-not-allowed opacity-50' : 'cursor-pointer'}`}>
            Choose a folder
            <input
              id={ids.folder}
              type="file"
              multiple
              className="sr-only"
              disabled={maxFileBytes === null}
              {...{ webkitdirectory: '' }}
              onChange={(event) => {
                void addFiles([...(event.target.files ?? [])]);
                event.target.value = '';
              }}
            />
          </label>
        </div>
        <p className="mt-2 text-xs text-slate-600">
          {maxFileBytes === null
            ? gate.auth === 'closed'
              ? 'Enter an API key (top right) to upload: the size limit comes from your account.'
              : 'Loading the account limits…'
            : `MP3, WAV, M4A, FLAC or OGG, up to ${formatBytes(maxFileBytes)} each. The format is read from the file's contents, not its name.`}
        </p>
      </section>

      <p role="status" className="text-sm text-slate-700">
        {checking > 0 ? `Checking ${checking} ${checking === 1 ? 'file' : 'files'}: reading each container for an audio stream…` : ''}
      </p>

      {valid.length > 0 ? (
        <section aria-label="Ready to upload">
          <h2 className="text-sm font-semibold text-slate-800">Ready to upload ({valid.length})</h2>
          <ul className="mt-1 divide-y divide-slate-100 text-sm">
            {valid.map((item) => (
              <li key={item.id} className="flex items-center justify-between py-1">
                <span>
                  {item.file.name} <span className="text-slate-600">({item.check?.ok ? describeFormat(item.check.format) : ''}, {formatBytes(item.file.size)})</span>
                </span>
                <button
                  type="button"
                  className="text-sm text-slate-700 underline"
                  aria-label={`Remove ${item.file.name}`}
                  onClick={() => setPicked((previous) => previous.filter((other) => other.id !== item.id))}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {invalid.length > 0 ? (
        <section aria-labelledby="refused-title" className="rounded-md border border-red-300 bg-red-50 p-3">
          <h2 id="refused-title" className="text-sm font-semibold text-red-900">
            Not uploaded ({invalid.length})
          </h2>
          <div role="alert">
            <ul className="mt-1 space-y-1 text-sm text-red-900">
              {invalid.map((item) => (
                <li key={item.id}>{item.check && !item.check.ok ? item.check.reason : ''}</li>
              ))}
            </ul>
          </div>
          <button type="button" className="mt-2 text-sm text-red-900 underline" onClick={() => setPicked((previous) => previous.filter((item) => !invalid.includes(item)))}>
            Dismiss
          </button>
        </section>
      ) : null}

      <fieldset>
        <legend className="text-sm font-semibold text-slate-800">Pipeline</legend>
        <div className="mt-1 flex flex-wrap gap-4 text-sm">
          {(
            [
              ['transcription', 'Transcription', 'the transcript only'],
              ['full-analysis', 'Full analysis', 'transcript plus summary, topics, sentiment and action items'],
            ] as const
          ).map(([value, label, hint]) => (
            <label key={value} className="flex items-center gap-2">
              <input type="radio" name="pipeline" value={value} checked={pipeline === value} onChange={() => setPipeline(value)} />
              {label} <span className="text-slate-600">({hint})</span>
            </label>
          ))}
        </div>
      </fieldset>

      <div>
        <label htmlFor={ids.language} className="block text-sm font-semibold text-slate-800">
          Language
        </label>
        <input
          id={ids.language}
          list={ids.languages}
          value={language}
          onChange={(event) => setLanguage(event.target.value)}
          aria-invalid={langProblem ? true : undefined}
          aria-describedby={langProblem ? ids.languageProblem : langName ? ids.languageName : undefined}
          className="mt-1 w-48 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
        />
        <datalist id={ids.languages}>
          {COMMON_LANGUAGES.map((tag) => (
            <option key={tag} value={tag}>
              {languageLabel(tag)}
            </option>
          ))}
        </datalist>
        {langProblem ? (
          <p id={ids.languageProblem} className="mt-1 text-sm text-red-700">
            {langProblem}
          </p>
        ) : (
          <p id={ids.languageName} className="mt-1 text-xs text-slate-600">
            {langName}: pick from the list or type any language tag.
          </p>
        )}
      </div>

      <fieldset>
        <legend className="text-sm font-semibold text-slate-800">Metadata (optional)</legend>
        <div className="mt-1 space-y-2">
          {pairs.map((pair, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
            <div key={index} className="flex flex-wrap items-center gap-2">
              <input
                aria-label={`Metadata key ${index + 1}`}
                value={pair.key}
                placeholder="ticket"
                onChange={(event) => setPairs((previous) => previous.map((row, at) => (at === index ? { ...row, key: event.target.value } : row)))}
                className="w-40 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
              />
              <input
                aria-label={`Metadata value ${index + 1}`}
                value={pair.value}
                placeholder="SUP-1182"
                onChange={(event) => setPairs((previous) => previous.map((row, at) => (at === index ? { ...row, value: event.target.value } : row)))}
                className="w-64 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
              />
              <button
                type="button"
                className="text-sm text-slate-700 underline"
                aria-label={`Remove metadata row ${index + 1}`}
                onClick={() => setPairs((previous) => (previous.length === 1 ? [{ key: '', value: '' }] : previous.filter((_, at) => at !== index)))}
              >
                Remove
              </button>
            </div>
          ))}
          <button type="button" className={buttonStyles.secondary} onClick={() => setPairs((previous) => [...previous, { key: '', value: '' }])}>
            Add metadata
          </button>
        </div>
      </fieldset>

      {formProblem ? (
        <p role="alert" className="text-sm text-red-700">
          {formProblem}
        </p>
      ) : null}
      <button type="submit" className={buttonStyles.primary} disabled={saving || checking > 0 || valid.length === 0}>
        {saving ? 'Adding…' : checking > 0 ? 'Checking files…' : `Upload ${valid.length} ${valid.length === 1 ? 'file' : 'files'}`}
      </button>
    </form>
  );
}
