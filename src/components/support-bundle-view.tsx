import { useId } from 'react';
import { buttonStyles } from './button-styles';
import { CopyTextButton } from './copy-text-button';
import { downloadText } from './download-text';

/** The support bundle shown in full before it leaves: what is copied or downloaded is exactly what is read here. */
export function SupportBundleView({ bundle, fileName }: { bundle: string; fileName: string }) {
  const id = useId();
  return (
    <div className="mt-3">
      <label htmlFor={id} className="block text-xs font-medium">
        Support bundle (no API key; this is all that is copied or downloaded)
      </label>
      <textarea
        id={id}
        readOnly
        value={bundle}
        rows={bundle.split('\n').length}
        className="mt-1 w-full resize-y rounded border border-slate-300 bg-white p-2 font-mono text-xs text-slate-900"
      />
      <div className="flex flex-wrap items-center gap-2">
        <CopyTextButton text={bundle} label="Copy support bundle" copiedMessage="Copied. Send it to NovaPulse support." />
        <button type="button" className={buttonStyles.secondary} onClick={() => downloadText(fileName, `${bundle}\n`, 'text/plain;charset=utf-8')}>
          Download support bundle
        </button>
      </div>
    </div>
  );
}
