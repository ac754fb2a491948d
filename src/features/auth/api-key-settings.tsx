import { buttonStyles } from '../../components/button-styles';
import { keyStore, useApiKey, useKeyRemembered } from './key-store';

export function ApiKeySettings() {
  const key = useApiKey();
  const remembered = useKeyRemembered();
  return (
    <section aria-labelledby="key-settings-title" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="key-settings-title" className="text-lg font-semibold">
        API key
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        {key
          ? `A key starting ${key.slice(0, 12)}… is in use, ${remembered ? 'remembered on this device' : 'kept in memory only (it is gone when this tab closes or reloads)'}.`
          : 'No key is set.'}
      </p>
      <div className="mt-3 flex gap-2">
        <button type="button" className={buttonStyles.primary} onClick={() => keyStore.getState().dialogOpened()}>
          {key ? 'Change key' : 'Enter key'}
        </button>
        {key ? (
          <button type="button" className={buttonStyles.danger} onClick={() => keyStore.getState().keyForgotten()}>
            Forget key
          </button>
        ) : null}
      </div>
    </section>
  );
}
