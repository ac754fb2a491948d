import { useNavigate } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { isTypingTarget, jumpTarget } from './jump-target';

/** The header's jump box: a job ID opens the job, anything else the Jobs page's search; `/` focuses it. */
export function JumpBox() {
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');

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
          onChange={(event) => setValue(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              setValue('');
              event.currentTarget.blur();
            }
          }}
          className="w-72 rounded-md border border-slate-600 bg-slate-800 px-2 py-1 text-sm text-white placeholder:text-slate-300 focus-visible:outline-2 focus-visible:outline-white"
        />
      </form>
    </search>
  );
}
