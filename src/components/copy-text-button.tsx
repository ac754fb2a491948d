import { useState } from 'react';
import { buttonStyles } from './button-styles';

/** Copies text (a support bundle) to the clipboard, and shows the text to select by hand when that fails. */
export function CopyTextButton({ text, label, copiedMessage }: { text: string; label: string; copiedMessage: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <div className="my-1">
      <div className="flex items-center gap-2">
        <button
          type="button"
          className={buttonStyles.secondary}
          onClick={() =>
            navigator.clipboard.writeText(text).then(
              () => setCopied('yes'),
              () => setCopied('failed'),
            )
          }
        >
          {label}
        </button>
        <span role="status" className="text-xs">
          {copied === 'yes' ? copiedMessage : copied === 'failed' ? 'Could not copy; select the text below.' : ''}
        </span>
      </div>
      {copied === 'failed' ? <pre className="mt-1 whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs">{text}</pre> : null}
    </div>
  );
}
