import { describe, expect, it } from 'vitest';
import { appOriginFor, contentSecurityPolicy, isAllowedNavigation, isTrustedSender, webPreferencesFor } from '../../src/main/security';

describe('webPreferencesFor', () => {
  it('isolates, sandboxes and denies Node in every frame', () => {
    const p = webPreferencesFor('/app/out/preload/index.js', { devTools: false });
    expect(p).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
  });
});

describe('contentSecurityPolicy', () => {
  it('allows only our own origin, no inline script and no eval', () => {
    const csp = contentSecurityPolicy();
    const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('relaxes script-src only for the dev server, and adds connect origins', () => {
    const csp = contentSecurityPolicy({ devServer: true, connect: ['ws://localhost:5173'] });
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self' ws://localhost:5173");
    expect(csp).not.toContain('unsafe-eval');
  });
});

describe('navigation and IPC senders', () => {
  const file = appOriginFor({ file: '/opt/Till/resources/app.asar/out/renderer/index.html' });
  const dev = appOriginFor({ devServer: 'http://localhost:5173/' });

  it('keeps the window on our own page', () => {
    expect(isAllowedNavigation('file:///opt/Till/resources/app.asar/out/renderer/index.html#/sale', file)).toBe(true);
    expect(isAllowedNavigation('file:///etc/passwd', file)).toBe(false);
    expect(isAllowedNavigation('https://example.com/', file)).toBe(false);
    expect(isAllowedNavigation('not a url', file)).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', dev)).toBe(false);
    expect(isAllowedNavigation('http://evil.localhost:5173/', dev)).toBe(false);
  });

  it('accepts IPC only from the top frame of our window showing our page', () => {
    const ours = { webContentsId: 7, origin: file };
    const page = 'file:///opt/Till/resources/app.asar/out/renderer/index.html';
    expect(isTrustedSender({ webContentsId: 7, frameUrl: page, isMainFrame: true }, ours)).toBe(true);
    expect(isTrustedSender({ webContentsId: 8, frameUrl: page, isMainFrame: true }, ours)).toBe(false);
    expect(isTrustedSender({ webContentsId: 7, frameUrl: page, isMainFrame: false }, ours)).toBe(false);
    expect(isTrustedSender({ webContentsId: 7, frameUrl: 'https://example.com/', isMainFrame: true }, ours)).toBe(false);
    expect(isTrustedSender({ webContentsId: 7, frameUrl: null, isMainFrame: true }, ours)).toBe(false);
    expect(isTrustedSender({ webContentsId: 7, frameUrl: page, isMainFrame: true }, { webContentsId: null, origin: file })).toBe(false);
  });

  it('turns a Windows path into the file URL Chromium reports', () => {
    const win = appOriginFor({ file: 'C:\\Program Files\\Till\\resources\\app.asar\\out\\renderer\\index.html' });
    expect(isAllowedNavigation('file:///C:/Program%20Files/Till/resources/app.asar/out/renderer/index.html', win)).toBe(true);
  });
});
