import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/** The last line: a broken screen says so and offers a way back, never a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    // Stack for developers; never the key (it is not part of any error).
    console.error('NovaPulse Console crashed', error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return <CrashScreen error={this.state.error} />;
  }
}

export function CrashScreen({ error }: { error: unknown }) {
  return (
    <div role="alert" className="mx-auto mt-16 max-w-xl rounded-lg border border-red-300 bg-white p-6">
      <h1 className="text-xl font-semibold text-red-900">This screen ran into a problem</h1>
      <p className="mt-2 text-sm text-slate-700">Your uploads and settings are not affected. Reload the page to continue.</p>
      <p className="mt-2 font-mono text-xs text-slate-600">{error instanceof Error ? error.message : String(error)}</p>
      <button type="button" className="mt-4 rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}
