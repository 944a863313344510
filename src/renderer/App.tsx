/** The cashier UI's shell: status bar, then pairing, the first-run set-up, sign-in or the sale screen. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../shared/contract';
import type { TillApi } from '../shared/contract/api';
import type { UserView } from '../shared/contract/auth';
import type { LaneApi, LaneState } from './api/lane-api';
import { LANGUAGES, type Language } from './i18n';
import { LoginScreen } from './screens/LoginScreen';
import { PairingScreen } from './screens/PairingScreen';
import { SaleScreen } from './screens/SaleScreen';
import { SetupScreen } from './screens/SetupScreen';
import { DeviceStrip } from './components/DeviceStrip';
import { SyncIndicator } from './components/SyncIndicator';

export function App(props: { api: TillApi; lane: LaneApi | null }) {
  const { t, i18n } = useTranslation();
  const { api, lane } = props;
  const [laneState, setLaneState] = useState<LaneState>({ kind: lane ? 'connecting' : 'connected' });
  const [status, setStatus] = useState<MethodOutput<'system.status'> | null>(null);
  const [session, setSession] = useState<{ token: string; user: UserView } | null>(null);
  const [clock, setClock] = useState(() => new Date());
  const [setup, setSetup] = useState(false);
  const setupAsked = useRef(false);

  useEffect(() => (lane ? lane.onState(setLaneState) : undefined), [lane]);
  useEffect(() => {
    const id = setInterval(() => setClock(new Date()), 30_000);
    return () => clearInterval(id);
  }, []);
  useEffect(() => {
    if (laneState.kind !== 'connected') return;
    void api.call('system.status', {}).then((r) => r.ok && setStatus(r.value));
    // once: the till's own language (chosen at set-up) unless the address asks for one, and the set-up itself on a first run
    if (setupAsked.current) return;
    setupAsked.current = true;
    void api.call('setup.status', {}).then((r) => {
      if (!r.ok) return;
      if (r.value.language && !new URLSearchParams(window.location.search).has('lang')) void i18n.changeLanguage(r.value.language);
      if (r.value.needed) setSetup(true);
    });
  }, [api, laneState.kind, i18n]);

  const signedOut = useCallback(() => setSession(null), []);

  const logout = async (): Promise<void> => {
    if (session) await api.call('auth.logout', {}, { sessionToken: session.token });
    setSession(null);
  };

  const nextLanguage = (): Language => LANGUAGES[(LANGUAGES.indexOf(i18n.language as Language) + 1) % LANGUAGES.length] ?? 'zh-CN';

  let body;
  if (laneState.kind === 'pairing' && lane) body = <PairingScreen refusal={laneState.code} fingerprint={laneState.fingerprint} onPair={(code) => lane.pair(code)} />;
  else if (laneState.kind !== 'connected' && !session) body = <main className="login"><p className="muted">{t('status.connecting')}</p></main>;
  else if (!session && setup) body = <SetupScreen api={api} onDone={() => setSetup(false)} />;
  else if (!session) body = <LoginScreen api={api} onLogin={(token, user) => setSession({ token, user })} />;
  else body = <SaleScreen api={api} sessionToken={session.token} onSignedOut={signedOut} onSwitched={(token, user) => setSession({ token, user })} />;

  return (
    <div className="app">
      <header className="status-bar">
        <strong className="brand">{t('app.title')}</strong>
        {status ? (
          <span data-testid="lane-id">
            {t('status.store')} {status.store} · {t('status.terminal')} {status.terminal}
          </span>
        ) : null}
        {laneState.kind === 'offline' ? <span className="badge bad">{t('status.offline')}</span> : null}
        {status?.payments.mode === 'sandbox' ? (
          <span className="badge sandbox" data-testid="payments-sandbox" title={t('status.sandboxHint')}>
            {t('status.sandbox')}
          </span>
        ) : null}
        <SyncIndicator api={api} sessionToken={session?.token ?? null} />
        {session ? <DeviceStrip api={api} sessionToken={session.token} /> : null}
        <span className="spacer" />
        {session ? (
          <span data-testid="cashier">
            {t('status.cashier')} {session.user.name}
          </span>
        ) : null}
        <span>{clock.toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' })}</span>
        <button type="button" className="ghost" onClick={() => void i18n.changeLanguage(nextLanguage())}>
          {i18n.language === 'en' ? '中文' : 'EN'}
        </button>
        {!session && !setup && laneState.kind === 'connected' ? (
          <button type="button" className="ghost" data-testid="open-setup" onClick={() => setSetup(true)}>
            {t('setup.open')}
          </button>
        ) : null}
        {session ? (
          <button type="button" className="ghost" onClick={() => void logout()}>
            {t('status.logout')}
          </button>
        ) : null}
      </header>
      {body}
      {status ? <footer className="version">Till {status.version}</footer> : null}
    </div>
  );
}
