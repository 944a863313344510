/**
 * The Electron security policy as plain data and pure checks, so that it is
 * unit-tested under Node without Electron: the window's webPreferences, the
 * Content-Security-Policy, which navigations are allowed, and which IPC
 * senders are ours. src/main/index.ts only applies these.
 */

export interface HardenedWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  safeDialogs: true;
  spellcheck: false;
  /** middle-click (auxclick) cannot open links in new windows */
  disableBlinkFeatures: 'Auxclick';
  devTools: boolean;
}

export function webPreferencesFor(preload: string, opts: { devTools: boolean }): HardenedWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    disableBlinkFeatures: 'Auxclick',
    devTools: opts.devTools,
  };
}

export { contentSecurityPolicy } from '../shared/csp';

/**
 * Where the app's own page lives: a file URL of out/renderer/index.html in
 * production, electron-vite's dev server in development.
 */
export interface AppOrigin {
  kind: 'file' | 'http';
  /** for 'file': the exact index.html URL; for 'http': the dev server origin */
  url: string;
}

export function appOriginFor(target: { file: string } | { devServer: string }): AppOrigin {
  if ('devServer' in target) return { kind: 'http', url: new URL(target.devServer).origin };
  return { kind: 'file', url: pathToFileUrl(target.file) };
}

function pathToFileUrl(file: string): string {
  const norm = file.replace(/\\/g, '/');
  const withSlash = norm.startsWith('/') ? norm : `/${norm}`;
  return new URL(`file://${withSlash}`).href;
}

/** true when `url` is the app's own page (ignoring a hash or query) */
export function isAppUrl(url: string, origin: AppOrigin): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (origin.kind === 'http') return u.origin === origin.url;
  if (u.protocol !== 'file:') return false;
  u.hash = '';
  u.search = '';
  return u.href === origin.url;
}

/** navigation is refused unless it stays on the app's own page */
export const isAllowedNavigation = (url: string, origin: AppOrigin): boolean => isAppUrl(url, origin);

export interface IpcSenderInfo {
  /** webContents id of the sender */
  webContentsId: number;
  /** URL of the frame that sent the message; null when the frame is gone */
  frameUrl: string | null;
  /** whether that frame is the top frame of its webContents */
  isMainFrame: boolean;
}

/**
 * An IPC message is accepted only from the top frame of our own window while
 * it shows our own page: never from a subframe, another webContents, or a
 * page that navigated away.
 */
export function isTrustedSender(sender: IpcSenderInfo, ours: { webContentsId: number | null; origin: AppOrigin }): boolean {
  if (ours.webContentsId === null || sender.webContentsId !== ours.webContentsId) return false;
  if (!sender.isMainFrame || sender.frameUrl === null) return false;
  return isAppUrl(sender.frameUrl, ours.origin);
}

/** permissions the cashier UI may ask Chromium for: none */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set();
