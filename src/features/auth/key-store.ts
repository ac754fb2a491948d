import { create } from 'zustand';

const STORAGE_KEY = 'novapulse.apiKey.v1';

interface KeyState {
  key: string | null;
  /** The person opted in to keeping the key in this browser's storage. */
  remembered: boolean;
  /** The error code that made the server refuse the last key, if any. */
  rejectedWith: string | null;
  dialogOpen: boolean;
  /** Counts keys entered, so that entering the same key again is an event too. */
  keyGeneration: number;
}

interface KeyEvents {
  keyEntered(key: string, remember: boolean): void;
  keyRejected(code: string, dropStoredKey: boolean): void;
  keyForgotten(): void;
  dialogOpened(): void;
  dialogDismissed(): void;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function readRememberedKey(): string | null {
  return storage()?.getItem(STORAGE_KEY) ?? null;
}

const rememberedAtStart = readRememberedKey();

/** The key lives in memory; it reaches storage only when the person opts in. */
const useKeyStore = create<KeyState & KeyEvents>()((set) => ({
  key: rememberedAtStart,
  remembered: rememberedAtStart !== null,
  rejectedWith: null,
  dialogOpen: rememberedAtStart === null,
  keyGeneration: 0,
  keyEntered(key, remember) {
    if (remember) storage()?.setItem(STORAGE_KEY, key);
    else storage()?.removeItem(STORAGE_KEY);
    set((state) => ({ key, remembered: remember, rejectedWith: null, dialogOpen: false, keyGeneration: state.keyGeneration + 1 }));
  },
  keyRejected(code, dropStoredKey) {
    if (dropStoredKey) storage()?.removeItem(STORAGE_KEY);
    set((state) => ({ rejectedWith: code, dialogOpen: true, remembered: dropStoredKey ? false : state.remembered }));
  },
  keyForgotten() {
    storage()?.removeItem(STORAGE_KEY);
    set({ key: null, remembered: false, rejectedWith: null, dialogOpen: true });
  },
  dialogOpened() {
    set({ dialogOpen: true });
  },
  dialogDismissed() {
    set({ dialogOpen: false });
  },
}));

export const keyStore = useKeyStore;
export const useApiKey = () => useKeyStore((state) => state.key);
export const useKeyRejection = () => useKeyStore((state) => state.rejectedWith);
export const useKeyDialogOpen = () => useKeyStore((state) => state.dialogOpen);
export const useKeyRemembered = () => useKeyStore((state) => state.remembered);
