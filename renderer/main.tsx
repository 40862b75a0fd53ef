// The renderer's entry: one local store, the host API, and the app, inside an error boundary.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { ErrorBoundary } from './app/ErrorBoundary.js';
import { resolveHostApi } from './host/host.js';
import { DexieStore } from './store/dexie-store.js';
import './styles/app.css';

const store = new DexieStore();
const host = resolveHostApi();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <App store={store} host={host} />
    </ErrorBoundary>
  </StrictMode>,
);
