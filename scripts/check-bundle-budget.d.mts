export const FIRST_PAGE_BUDGET_BYTES: number;
export const FIRST_PAGE_TARGET_BYTES: number;
export interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
export type Manifest = Record<string, ManifestChunk>;
export function firstPageFiles(manifest: Manifest): string[];
export function checkFirstPageBudget(options: {
  manifest: Manifest;
  gzippedSizeOf: (file: string) => number;
  budgetBytes: number;
}): { files: { file: string; bytes: number }[]; total: number; budgetBytes: number; withinBudget: boolean };
