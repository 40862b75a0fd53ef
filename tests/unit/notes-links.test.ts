import { describe, expect, it } from 'vitest';
import { isAllowedHref, normalizeHref } from '../../renderer/rich-text/extensions.js';

describe('links typed into notes and posts', () => {
  it.each([
    ['example.org/plan', 'https://example.org/plan'],
    ['  https://example.org ', 'https://example.org'],
    ['mailto:grace@example.org', 'mailto:grace@example.org'],
  ])('reads %j as %j', (typed, href) => {
    expect(normalizeHref(typed)).toBe(href);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'https://user:pw@bank.example',
    '\\\\server\\share',
    'vbscript:msgbox(1)',
  ])('refuses %j, as the host would', (href) => {
    expect(isAllowedHref(href)).toBe(false);
  });

  it.each(['https://example.org', 'http://localhost:8080/x', 'example.org', 'mailto:a@b.example'])('allows %j', (href) => {
    expect(isAllowedHref(href)).toBe(true);
  });
});
