export function findChromium(): Promise<{ path: string | undefined; source: string } | null>;
export const NO_CHROMIUM_HELP: string;
