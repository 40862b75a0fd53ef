import { describe, expect, it } from 'vitest';
import { joinCodeFromArgv, joinCodeFromUrl } from '../../electron/deep-link.js';

const CODE = 'HEARTH1-ARBjb21tdW5pdHkwMDAwMDAx';

describe('hearth:// links from the operating system', () => {
  it.each([
    [`hearth://join/${CODE}`, CODE],
    [`HEARTH://JOIN/${CODE}`, CODE],
    [`hearth://join/${CODE}/`, CODE],
    [`hearth://join/${encodeURIComponent(CODE)}`, CODE],
    ['hearth://join/', null],
    ['hearth://join/javascript:alert(1)', null],
    [`hearth://settings/${CODE}`, null],
    [`https://evil.example/hearth://join/${CODE}`, null],
    ['hearth://join/HEARTH1-abc%ZZ', null],
    [`hearth://join/${CODE}<script>`, null],
    [`hearth://join/${CODE}?x=1`, null],
    [`hearth://join/HEARTH1-${'A'.repeat(10_000)}`, null],
    [42, null],
    [null, null],
  ])('%s → %s', (link, expected) => {
    expect(joinCodeFromUrl(link)).toBe(expected);
  });

  it('finds the link among launch arguments, whatever else is there', () => {
    expect(joinCodeFromArgv(['/opt/Hearth/hearth', '--no-sandbox', `hearth://join/${CODE}`])).toBe(CODE);
    expect(joinCodeFromArgv(['/opt/Hearth/hearth', '.'])).toBeNull();
  });
});
