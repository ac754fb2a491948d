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

const BANNER = 'flex flex-wrap items-center gap-3 px-6 py-2.5 text-sm font-medium shadow-sm';

function BannerLabel({ children }: { children: string }) {
  return <span className="rounded bg-black/15 px-2 py-0.5 text-xs font-bold uppercase tracking-wide">{children}</span>;
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
      <div role="status" className={`${BANNER} bg-slate-800 text-white`}>
        <BannerLabel>Offline</BannerLabel>
        <span>You are offline. Uploads and updates wait and continue by themselves when the connection returns.</span>
      </div>
    );
  }
  if (gate.auth === 'closed') {
    const entry = gate.authCode ? catalogueEntryFor(gate.authCode, 401) : null;
    return (
      <div role="status" className={`${BANNER} justify-between bg-amber-300 text-amber-950`}>
        <BannerLabel>API key</BannerLabel>
        <span className="flex-1">{entry ? `${entry.title}. Requests are paused until a new key is set; nothing queued is lost.` : 'Requests are paused until an API key is set.'}</span>
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
      <div role="status" className={`${BANNER} ${maintenance ? 'bg-amber-300 text-amber-950' : 'bg-sky-700 text-white'}`}>
        <BannerLabel>{maintenance ? 'Maintenance' : 'Rate limit'}</BannerLabel>
        <span className="tabular-nums">
          {maintenance
            ? `NovaPulse is under maintenance. Requests resume in ${seconds} s.`
            : `Rate limit reached. The console waits ${seconds} s, as NovaPulse asked, then continues by itself.`}
        </span>
      </div>
    );
  }
  return null;
}
