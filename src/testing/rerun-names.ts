/**
 * A failed row's re-run button, as a screen reader names it: the action, the
 * file and the job (the file alone may repeat), and ", pick the file" where
 * this browser does not hold the bytes. Written from the words, not
 * from the component.
 */
export function rowRerunName(jobId: string, action: 'Re-run' | 'Re-run with full analysis' = 'Re-run with full analysis'): RegExp {
  return new RegExp(`^${action}: .+ \\(${jobId}\\)(, pick the file)?$`);
}
