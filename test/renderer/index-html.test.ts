import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/shared/csp';

const html = fs.readFileSync(path.resolve(import.meta.dirname, '../../src/renderer/index.html'), 'utf8');

describe('renderer index.html', () => {
  it('carries the same strict CSP as the window header and the lane server', () => {
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    expect(meta).toBe(contentSecurityPolicy());
  });

  it('loads only its own module script, with no inline script or style', () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style/);
    expect(html).not.toMatch(/https?:\/\//);
  });
});
