/**
 * Entry of the cashier UI. In Electron the preload has set window.till (IPC);
 * in a browser the page came from the lane server, so it talks to the same
 * origin over socket.io with the lane's per-launch secret: taken from the
 * URL's fragment (#lane=..., which the browser never sends to a server) and
 * then removed from the address bar, or handed over after pairing with the
 * code shown at the till. It is kept for the tab only.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createLaneApi, type LaneApi } from './api/lane-api';
import { initI18n, LANGUAGES, type Language } from './i18n';
import './styles.css';

const SECRET_KEY = 'till.laneSecret';

function laneSecret(): string | null {
  const fromUrl = new URLSearchParams(window.location.hash.slice(1)).get('lane');
  if (fromUrl) {
    sessionStorage.setItem(SECRET_KEY, fromUrl);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return fromUrl ?? sessionStorage.getItem(SECRET_KEY);
}

function chooseApi(): { api: NonNullable<Window['till']>; lane: LaneApi | null } {
  if (window.till) return { api: window.till, lane: null };
  const lane = createLaneApi(window.location.origin, laneSecret(), (secret) => sessionStorage.setItem(SECRET_KEY, secret));
  return { api: lane, lane };
}

const asked = new URLSearchParams(window.location.search).get('lang');
const lang: Language = LANGUAGES.find((l) => l === asked) ?? 'zh-CN';
await initI18n(lang);
const { api, lane } = chooseApi();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App api={api} lane={lane} />
  </StrictMode>,
);
