/** Shown instead of the console when the deployment's config.json is wrong: the admin sees what to fix, not a blank page. */
export function ConfigErrorScreen({ problem }: { problem: string }) {
  return (
    <main className="mx-auto mt-16 max-w-xl rounded-lg border border-red-300 bg-white p-6">
      <div role="alert">
        <h1 className="text-xl font-semibold text-red-900">The console's configuration is wrong</h1>
        <p className="mt-2 font-mono text-sm text-slate-800">{problem}</p>
      </div>
      <p className="mt-3 text-sm text-slate-700">
        config.json sits beside index.html and names the NovaPulse API this console calls. Write it again with{' '}
        <code className="font-mono">npm run configure -- --api-base https://api.novapulse.example</code>, or remove it to use the build's default, then
        reload this page.
      </p>
    </main>
  );
}
