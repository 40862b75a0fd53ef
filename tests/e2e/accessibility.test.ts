// The harness's axe check can fail: a screen with an unlabelled button and near-invisible text stops
// the story, and says which rule, how serious, and which element.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Member, OUTPUT_DIR, useBrowserMode } from './harness.js';

const app = useBrowserMode();

describe('the accessibility check in every screenshot', () => {
  it('fails a screen with an unlabelled button and text at 1.1:1 contrast', async () => {
    const maya = await Member.arrive(app.browser, app.host.url);
    await maya.chooseName('Maya Okafor');
    // The page as axe first sees it passes; the same check then fails once the probe is in.
    await maya.screenshot('accessibility-clean.png');

    await maya.page.evaluate(() => {
      const probe = document.createElement('div');
      probe.id = 'a11y-probe';
      probe.style.cssText = 'position: fixed; top: 8px; right: 8px; padding: 8px; background: #ffffff;';
      // #f4f4f4 on white is 1.1:1 (axe says 1.09); the button has neither text nor a label.
      probe.innerHTML = '<p style="color: #f4f4f4; margin: 0;">Hard to read</p><button type="button" id="a11y-probe-button"></button>';
      document.body.append(probe);
    });

    const failure = maya.screenshot('accessibility-probe.png');
    await expect(failure).rejects.toThrow(
      /button-name \(critical\)[^]*#a11y-probe-button[^]*<button type="button" id="a11y-probe-button"><\/button>/,
    );
    await expect(failure).rejects.toThrow(
      /color-contrast \(serious\)[^]*#a11y-probe[^]*Hard to read[^]*contrast of 1\.\d+ \(foreground color: #f4f4f4/,
    );

    const report = JSON.parse(readFileSync(join(OUTPUT_DIR, 'accessibility-probe.axe.json'), 'utf8')) as { violations: { id: string }[] };
    expect(report.violations.map((violation) => violation.id)).toEqual(expect.arrayContaining(['button-name', 'color-contrast']));
    await maya.leave();
  });
});
