// Shown in a second Hearth window of the same browser profile, which must not run alongside the first.
import { BrandMark } from '../ui/Brand.js';

export function AlreadyOpen() {
  return (
    <main className="center-stage">
      <div className="welcome-card" role="alert">
        <div className="brand">
          <BrandMark />
          Hearth
        </div>
        <h1 style={{ fontSize: 'var(--text-xl)' }}>Hearth is already open in another tab or window</h1>
        <p className="lede">
          Please use that one. Two at once could overwrite each other’s saved changes. Close the other one, then reload this page to use
          Hearth here.
        </p>
        <button type="button" className="button primary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    </main>
  );
}
