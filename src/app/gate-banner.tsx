import { useEffect, useState } from 'react';
import { useGateState } from '../api/api-client-context';
import { buttonStyles } from '../components/button-styles';
import { catalogueEntryFor } from '../errors/catalogue';
import { keyStore } from '../features/auth/key-store';

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** Says why requests are paused: no key, a refused key, a Retry-After wait or maintenance. */
export function GateBanner() {
  const gate = useGateState();
  const [now, setNow] = useState(() => Date.now());
  const online = useOnline();
  const waiting = gate.heldUntil > now;
  useEffect(() => {
    setNow(Date.now());
    if (gate.heldUntil <= Date.now()) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [gate.heldUntil]);

  if (!online) {
    return (
      <div role="status" className="border-b border-slate-300 bg-slate-100 px-6 py-2 text-sm text-slate-900">
        You are offline. Uploads and updates wait and continue by themselves when the connection returns.
      </div>
    );
  }
  if (gate.auth === 'closed') {
    const entry = gate.authCode ? catalogueEntryFor(gate.authCode, 401) : null;
    return (
      <div role="status" className="flex flex-wrap items-center justify-between gap-2 border-b border-amber-300 bg-amber-50 px-6 py-2 text-sm text-amber-950">
        <span>{entry ? `${entry.title}. Requests are paused until a new key is set; nothing queued is lost.` : 'Requests are paused until an API key is set.'}</span>
        <button type="button" className={buttonStyles.secondary} onClick={() => keyStore.getState().dialogOpened()}>
          Enter API key
        </button>
      </div>
    );
  }
  if (waiting) {
    const seconds = Math.ceil((gate.heldUntil - now) / 1000);
    const maintenance = gate.heldBy === 'service_unavailable';
    return (
      <div role="status" className="border-b border-sky-300 bg-sky-50 px-6 py-2 text-sm text-sky-950">
        {maintenance
          ? `NovaPulse is under maintenance. Requests resume in ${seconds} s.`
          : `Rate limit reached. The console waits ${seconds} s, as NovaPulse asked, then continues by itself.`}
      </div>
    );
  }
  return null;
}
