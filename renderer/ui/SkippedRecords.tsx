// Says, without alarm, that some records from peers could not be read and are hidden (not deleted),
// with the details one click away for whoever wants to report it.
import { AlertTriangle } from 'lucide-react';
import { type SchemaProblem } from '../../shared/doc/records.js';

export function SkippedRecords({ problems, what }: { problems: readonly SchemaProblem[]; what: string }) {
  if (problems.length === 0) return null;
  return (
    <div className="banner warn" role="status">
      <AlertTriangle size={18} aria-hidden="true" />
      <div className="grow">
        {problems.length === 1
          ? `One ${what} record could not be read and is hidden.`
          : `${problems.length} ${what} records could not be read and are hidden.`}{' '}
        Nothing was deleted; a newer version of Hearth may show {problems.length === 1 ? 'it' : 'them'}.
        <details style={{ marginTop: 4 }}>
          <summary style={{ cursor: 'pointer', color: 'var(--text-muted)' }}>Details</summary>
          <ul style={{ margin: '4px 0 0', paddingLeft: 18, color: 'var(--text-muted)', fontSize: 'var(--text-xs)' }}>
            {problems.slice(0, 20).map((problem, index) => (
              <li key={index}>
                <code>{problem.where}</code>: {problem.message}
              </li>
            ))}
          </ul>
        </details>
      </div>
    </div>
  );
}
