// Last line of defence: a rendering bug shows a clear message and a way back, never a blank window.
import { Component, type ErrorInfo, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('[hearth] render failed', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <main className="center-stage">
        <div className="welcome-card" role="alert">
          <h1 style={{ fontSize: 'var(--text-xl)' }}>Something went wrong on this screen</h1>
          <p className="lede">{this.state.error.message}</p>
          <p className="lede">Your data is saved on this device and was not changed.</p>
          <button type="button" className="button primary" onClick={() => window.location.reload()}>
            Reload Hearth
          </button>
        </div>
      </main>
    );
  }
}
