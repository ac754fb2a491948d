import { useId, useState } from 'react';
import type { Pipeline } from '../../api/schemas';
import { buttonStyles } from '../../components/button-styles';
import { fieldOfFailure } from '../../errors/catalogue';
import { useUploads } from './upload-context';
import type { UploadItem } from './upload-queue-store';
import { languageProblem, metadataFromPairs } from './validate-upload';

const inputStyles = 'rounded-md border border-slate-300 px-2 py-1 text-sm aria-[invalid=true]:border-red-600 aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-red-600';

/**
 * A request NovaPulse refused as sent (400): its parameters, editable, with
 * the value it refused marked, so the person corrects it and sends again.
 */
export function EditRefusedUpload({ item }: { item: UploadItem }) {
  const { store } = useUploads();
  const formId = useId();
  const error = item.error;
  const marked = error ? fieldOfFailure(error.code, error.status, error.message) : null;
  const [pipeline, setPipeline] = useState<Pipeline>(item.pipeline);
  const [language, setLanguage] = useState(item.language);
  const [pairs, setPairs] = useState(() => [...Object.entries(item.metadata).map(([key, value]) => ({ key, value })), { key: '', value: '' }]);
  const [problem, setProblem] = useState<{ field: 'language' | 'metadata'; text: string } | null>(null);
  const refusedNote = `${formId}-refused`;
  const problemNote = `${formId}-problem`;

  const invalid = (field: 'pipeline' | 'language' | 'metadata') => problem?.field === field || (problem === null && marked === field);
  const describedBy = (field: 'pipeline' | 'language' | 'metadata') =>
    [problem?.field === field ? problemNote : null, marked === field ? refusedNote : null].filter(Boolean).join(' ') || undefined;

  return (
    <form
      className="mt-2 space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3"
      aria-label={`Correct and send ${item.fileName} again`}
      onSubmit={(event) => {
        event.preventDefault();
        const languageIssue = languageProblem(language.trim());
        if (languageIssue) {
          setProblem({ field: 'language', text: languageIssue });
          return;
        }
        const result = metadataFromPairs(pairs);
        if ('problem' in result) {
          setProblem({ field: 'metadata', text: result.problem });
          return;
        }
        setProblem(null);
        store.getState().uploadEdited(item.id, { pipeline, language: language.trim(), metadata: result.metadata });
      }}
    >
      <p id={refusedNote} className="text-sm text-red-900">
        {marked && marked !== 'file'
          ? `NovaPulse refused the ${marked} value: ${error?.message ?? ''}`
          : `NovaPulse did not say which value it refused (${error?.message ?? 'no message'}). Check each one.`}
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-sm">
          Pipeline
          <select
            className={inputStyles}
            value={pipeline}
            onChange={(event) => setPipeline(event.target.value as Pipeline)}
            aria-invalid={invalid('pipeline')}
            aria-describedby={describedBy('pipeline')}
          >
            <option value="transcription">transcription</option>
            <option value="full-analysis">full-analysis</option>
          </select>
        </label>
        <label className="flex flex-col text-sm">
          Language
          <input
            className={`${inputStyles} w-32`}
            value={language}
            onChange={(event) => setLanguage(event.target.value)}
            aria-invalid={invalid('language')}
            aria-describedby={describedBy('language')}
          />
        </label>
      </div>
      <fieldset className="space-y-1" aria-invalid={invalid('metadata')} aria-describedby={describedBy('metadata')}>
        <legend className="text-sm">Metadata</legend>
        {pairs.map((pair, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
          <div key={index} className="flex gap-2">
            <input
              aria-label={`Metadata key ${index + 1}`}
              aria-invalid={invalid('metadata')}
              value={pair.key}
              onChange={(event) => setPairs((rows) => rows.map((row, at) => (at === index ? { ...row, key: event.target.value } : row)))}
              className={`${inputStyles} w-32`}
            />
            <input
              aria-label={`Metadata value ${index + 1}`}
              aria-invalid={invalid('metadata')}
              value={pair.value}
              onChange={(event) => setPairs((rows) => rows.map((row, at) => (at === index ? { ...row, value: event.target.value } : row)))}
              className={`${inputStyles} w-48`}
            />
          </div>
        ))}
        <button type="button" className={buttonStyles.secondary} onClick={() => setPairs((rows) => [...rows, { key: '', value: '' }])}>
          Add a metadata row
        </button>
      </fieldset>
      {problem ? (
        <p id={problemNote} role="alert" className="text-sm text-red-700">
          {problem.text}
        </p>
      ) : null}
      <button type="submit" className={buttonStyles.primary}>
        Send again with these values
      </button>
    </form>
  );
}
