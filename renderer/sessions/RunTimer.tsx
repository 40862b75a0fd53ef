// The countdown every member sees: computed here from the stored run state and this device's clock
// (corrected by the offset to the clock the timer was started with), redrawn a few times a second.
import { useEffect, useState } from 'react';
import { Pause, Play, RotateCcw, SkipForward } from 'lucide-react';
import type { RunState } from '../../shared/sessions/schema.js';
import { formatRemaining, isRunning, remainingMs, type ClockReading } from '../../shared/sessions/timer.js';

const REDRAW_MS = 200;

export function useTicker(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), REDRAW_MS);
    return () => clearInterval(timer);
  }, [active]);
  return active ? now : Date.now();
}

export interface TimerControls {
  readonly onStart: () => void;
  readonly onPause: () => void;
  readonly onExtend: (minutes: number) => void;
  readonly onReset: () => void;
  readonly onNext: () => void;
}

export function RunTimer({
  run,
  reading,
  controls,
  nextLabel,
}: {
  run: RunState;
  reading: Omit<ClockReading, 'now'>;
  controls: TimerControls | null;
  nextLabel: string;
}) {
  const running = isRunning(run);
  const now = useTicker(running);
  const remaining = remainingMs(run, { ...reading, now });
  const overtime = remaining < 0;
  const used = run.durationMs === 0 ? 1 : Math.min(1, Math.max(0, 1 - remaining / run.durationMs));
  const state = overtime ? 'overtime' : running ? (remaining <= 60_000 ? 'ending' : 'running') : 'paused';
  return (
    <div className={`run-timer ${state}`}>
      <div className="timer-face">
        <span className="timer-digits" role="timer" aria-label="Time left" aria-live="off">
          {formatRemaining(remaining)}
        </span>
        <span className="timer-state">{overtime ? 'Over time' : running ? 'Time left' : 'Paused'}</span>
      </div>
      <div className="timer-bar" aria-hidden="true">
        <span style={{ width: `${used * 100}%` }} />
      </div>
      {controls ? (
        <div className="timer-controls" role="group" aria-label="Timer">
          {running ? (
            <button type="button" className="button" onClick={controls.onPause}>
              <Pause size={16} aria-hidden="true" /> Pause
            </button>
          ) : (
            <button type="button" className="button" onClick={controls.onStart}>
              <Play size={16} aria-hidden="true" /> {run.elapsedMs > 0 ? 'Resume' : 'Start'}
            </button>
          )}
          <button type="button" className="button" onClick={() => controls.onExtend(1)}>
            +1 min
          </button>
          <button type="button" className="button" onClick={() => controls.onExtend(5)}>
            +5 min
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Restart this item’s time box"
            title="Restart this item’s time box"
            onClick={controls.onReset}
          >
            <RotateCcw size={16} aria-hidden="true" />
          </button>
          <button type="button" className="button primary next-button" onClick={controls.onNext}>
            {nextLabel} <SkipForward size={16} aria-hidden="true" />
          </button>
        </div>
      ) : null}
    </div>
  );
}
