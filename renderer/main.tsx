// The renderer's entry: one local store, the host API, and the app, inside an error boundary — in one
// window per browser profile (see app/single-window.ts).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { ErrorBoundary } from './app/ErrorBoundary.js';
import { AlreadyOpen } from './app/AlreadyOpen.js';
import { claimSingleWindow } from './app/single-window.js';
import { resolveHostApi } from './host/host.js';
import { DexieStore, askForPersistentStorage } from './store/dexie-store.js';
import './styles/app.css';

const root = createRoot(document.getElementById('root')!);

void claimSingleWindow().then((mine) => {
  if (!mine) {
    root.render(<AlreadyOpen />);
    return;
  }
  const store = new DexieStore();
  void askForPersistentStorage(navigator.storage);
  const host = resolveHostApi();
  root.render(
    <StrictMode>
      <ErrorBoundary>
        <App store={store} host={host} />
      </ErrorBoundary>
    </StrictMode>,
  );
});
