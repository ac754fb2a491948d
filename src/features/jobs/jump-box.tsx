import { useNavigate } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState } from 'react';
import { isTypingTarget, jumpTarget } from './jump-target';

/** The header's jump box: a job ID opens the job, anything else the Jobs page's search; `/` focuses it. An API key is refused. */
export function JumpBox() {
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const refusalId = useId();

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (isTypingTarget(event.target)) return;
      if (document.querySelector('[role="dialog"][aria-modal="true"], dialog[open]')) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <search>
      <form
        className="flex items-center"
        onSubmit={(event) => {
          event.preventDefault();
          const target = jumpTarget(value);
          if (!target) return;
          setValue('');
          if (target.kind === 'api-key') {
            // The key is cleared from the box at once, and goes nowhere: not into the address, not to the API.
            setRefusal('That looks like an API key, so it was not searched for. Enter keys with the API key button.');
            return;
          }
          setRefusal(null);
          input.current?.blur();
          if (target.kind === 'job') void navigate({ to: '/jobs/$jobId', params: { jobId: target.jobId } });
          else void navigate({ to: '/jobs', search: { q: target.q } });
        }}
      >
        <input
          ref={input}
          type="search"
          aria-label="Jump to a job"
          aria-keyshortcuts="/"
          placeholder="Job ID, file name or metadata  ( / )"
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            setRefusal(null);
          }}
          aria-invalid={refusal ? true : undefined}
          aria-describedby={refusal ? refusalId : undefined}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              setValue('');
              event.currentTarget.blur();
            }
          }}
          className="w-72 rounded-md border border-slate-600 bg-slate-800 px-2 py-1 text-sm text-white placeholder:text-slate-300 focus-visible:outline-2 focus-visible:outline-white"
        />
      </form>
      {refusal ? (
        <p id={refusalId} role="alert" className="mt-1 w-72 text-xs text-amber-200">
          {refusal}
        </p>
      ) : null}
    </search>
  );
}
