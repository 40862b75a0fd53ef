// shared/guarded-handler.ts: a handler that throws or rejects is caught, counted and logged once, and
// an EventEmitter with such a listener keeps emitting to the others.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createFaultCounter } from '../../shared/guarded-handler.js';

describe('createFaultCounter', () => {
  it('catches throws and rejections, counts every one, logs only the first, and runs the clean-up', async () => {
    const lines: string[] = [];
    const faults = createFaultCounter('Test service', (line) => lines.push(line));
    const cleaned: number[] = [];
    const throwing = faults.guard(
      'a message',
      (value: number) => {
        if (value < 0) throw new RangeError('Maximum call stack size exceeded');
        return value;
      },
      (value) => cleaned.push(value),
    );
    const rejecting = faults.guard('a request', async () => Promise.reject(new Error('late')));

    expect(() => throwing(-1)).not.toThrow();
    throwing(2);
    throwing(-3);
    rejecting();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(faults.count()).toBe(3);
    expect(cleaned).toEqual([-1, -3]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Test service');
    expect(lines[0]).toContain('RangeError: Maximum call stack size exceeded');
  });

  it('survives a log that throws, a clean-up that throws and errors that cannot be printed', () => {
    const faults = createFaultCounter('Test service', () => {
      throw new Error('stdout is closed');
    });
    const unprintable = {
      toString: () => {
        throw new Error('no');
      },
    };
    const handler = faults.guard(
      'a packet',
      () => {
        throw unprintable;
      },
      () => {
        throw new Error('clean-up failed');
      },
    );
    expect(() => handler()).not.toThrow();
    expect(faults.count()).toBe(2);
  });

  it('keeps an emitter without an error listener alive and its other listeners served', () => {
    const emitter = new EventEmitter();
    const faults = createFaultCounter('Test service', () => {});
    const heard: string[] = [];
    emitter.on(
      'message',
      faults.guard('a message', (text: string) => JSON.stringify(JSON.parse(text))),
    );
    emitter.on('message', (text: string) => heard.push(text.slice(0, 10)));
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(() => emitter.emit('message', deep)).not.toThrow();
    expect(heard).toHaveLength(1);
    expect(faults.count()).toBe(1);
  });
});
