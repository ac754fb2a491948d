import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { buttonStyles } from '../../components/button-styles';
import { catalogueEntryFor } from '../../errors/catalogue';
import { isWellFormedApiKey } from '../../lib/api-key-format';
import { keyStore, useKeyDialogOpen, useKeyRejection, useKeyRemembered } from './key-store';

/**
 * Asks for the API key. The key stays in memory unless "remember on this
 * device" is ticked; the form never submits to a URL.
 */
/** `extraActions` get the state of "remember on this device", so another way in (the demo key) honours it. */
export function ApiKeyDialog({ extraActions }: { extraActions?: (remember: boolean) => ReactNode }) {
  const open = useKeyDialogOpen();
  const rejectedWith = useKeyRejection();
  const rememberedBefore = useKeyRemembered();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [remember, setRemember] = useState(rememberedBefore);
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();
  const problemId = useId();
  const titleId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      inputRef.current?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const key = value.trim();
    if (!isWellFormedApiKey(key)) {
      setProblem('That is not a NovaPulse key. Keys start with np_live_ or np_test_ followed by 32 letters and digits.');
      return;
    }
    setProblem(null);
    setValue('');
    keyStore.getState().keyEntered(key, remember);
  }

  const rejection = rejectedWith ? catalogueEntryFor(rejectedWith, 401) : null;

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-xl border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/50"
      onCancel={(event) => {
        // Escape closes the dialog; requests keep waiting at the gate until a key is set.
        event.preventDefault();
        keyStore.getState().dialogDismissed();
      }}
    >
      <form onSubmit={submit} className="space-y-4 p-6" noValidate>
        <h2 id={titleId} className="text-lg font-semibold text-slate-900">
          {rejection ? rejection.title : 'Enter your NovaPulse API key'}
        </h2>
        {rejection ? (
          <p role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
            {rejection.resolution}
          </p>
        ) : (
          <p className="text-sm text-slate-600">The console sends it as a Bearer token to the NovaPulse API. It is kept in this tab's memory only, unless you choose to remember it.</p>
        )}
        <div>
          <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
            API key
          </label>
          <input
            id={inputId}
            ref={inputRef}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={value}
            onChange={(event) => setValue(event.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? problemId : undefined}
            placeholder="np_live_… or np_test_…"
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600/30"
          />
          {problem ? (
            <p id={problemId} className="mt-1 text-sm text-red-700">
              {problem}
            </p>
          ) : null}
        </div>
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" checked={remember} onChange={(event) => setRemember(event.target.checked)} className="h-4 w-4" />
          Remember on this device
        </label>
        {remember ? <p className="text-xs text-slate-600">The key will be stored in this browser's local storage until you forget it in Settings.</p> : null}
        <div className="flex flex-wrap items-center justify-end gap-2">
          {extraActions?.(remember)}
          <button type="button" className={buttonStyles.secondary} onClick={() => keyStore.getState().dialogDismissed()}>
            Not now
          </button>
          <button type="submit" className={buttonStyles.primary}>
            Use this key
          </button>
        </div>
      </form>
    </dialog>
  );
}
