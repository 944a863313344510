/**
 * Entry of the cashier UI. In Electron the preload has set window.till (IPC);
 * in a browser the page came from the lane server, so it talks to the same
 * origin over socket.io. A pairing code once entered is kept for the tab.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createLaneApi, type LaneApi } from './api/lane-api';
import { initI18n, LANGUAGES, type Language } from './i18n';
import './styles.css';

const PAIRING_KEY = 'till.pairingCode';

function chooseApi(): { api: NonNullable<Window['till']>; lane: LaneApi | null } {
  if (window.till) return { api: window.till, lane: null };
  const lane = createLaneApi(window.location.origin, sessionStorage.getItem(PAIRING_KEY));
  const pair = lane.pair;
  lane.pair = (code: string) => {
    sessionStorage.setItem(PAIRING_KEY, code);
    pair(code);
  };
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
