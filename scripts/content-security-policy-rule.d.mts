export const SAFE_BASE: RegExp;
export function contentSecurityPolicy(apiBase: string): string;
export const CSP_META: RegExp;
export function contentSecurityPolicyMeta(apiBase: string): string;
