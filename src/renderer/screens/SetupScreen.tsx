/**
 * The first-run set-up (issue 14): language, an admin's sign-in, stand-alone
 * or enrolled with a hub (SetupHub), the devices (SetupDevices), then save.
 * Shown instead of the sign-in screen while the till still needs it
 * (setup.status), and from the status bar's set-up button later. Leaving
 * without saving puts the saved devices back in use (setup.close).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../shared/contract';
import type { TillApi } from '../../shared/contract/api';
import { NO_DEVICES, type LanguageCode, type SetupDevices as Chosen } from '../../shared/contract/setup';
import { useErrorText } from '../use-till';
import { LoginScreen } from './LoginScreen';
import { SetupDevices } from './SetupDevices';
import { SetupHub } from './SetupHub';
import '../setup.css';

const STEPS = ['language', 'admin', 'hub', 'devices', 'done'] as const;
type Step = (typeof STEPS)[number];

export function SetupScreen(props: { api: TillApi; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const { api } = props;
  const [step, setStep] = useState<Step>('language');
  const [token, setToken] = useState<string | null>(null);
  const [state, setState] = useState<MethodOutput<'setup.state'> | null>(null);
  const [devices, setDevices] = useState<Chosen>(NO_DEVICES);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const language: LanguageCode = i18n.language === 'en' ? 'en' : 'zh-CN';
  const ctx = token ? { sessionToken: token } : {};

  useEffect(() => {
    if (!token) return;
    void api.call('setup.state', {}, { sessionToken: token }).then((r) => {
      if (!r.ok) return setError(errorText(r.error));
      setState(r.value);
      setDevices(r.value.devices);
    });
  }, [api, token, errorText]);

  const go = (to: Step) => {
    setError(null);
    setStep(to);
  };
  const at = STEPS.indexOf(step);

  const leave = async (): Promise<void> => {
    if (token) {
      await api.call('setup.close', {}, ctx);
      await api.call('auth.logout', {}, ctx);
    }
    props.onDone();
  };

  const save = async (): Promise<void> => {
    setBusy(true);
    const r = await api.call('setup.save', { language, devices }, ctx);
    setBusy(false);
    if (!r.ok) return setError(errorText(r.error));
    await api.call('auth.logout', {}, ctx);
    props.onDone();
  };

  let body;
  if (step === 'language') {
    body = (
      <>
        <p className="muted">{t('setup.language.hint')}</p>
        <div className="setup-choices">
          {(['zh-CN', 'en'] as const).map((l) => (
            <button key={l} type="button" className={`big${language === l ? ' primary' : ''}`} data-testid={`setup-lang-${l}`} onClick={() => void i18n.changeLanguage(l)}>
              {t(l === 'en' ? 'setup.language.en' : 'setup.language.zh')}
            </button>
          ))}
        </div>
        <button type="button" className="primary big" data-testid="setup-next" onClick={() => go(token ? 'hub' : 'admin')}>
          {t('setup.next')}
        </button>
      </>
    );
  } else if (step === 'admin') {
    body = (
      <>
        <p className="muted">{t('setup.admin.hint')}</p>
        <LoginScreen
          api={api}
          onLogin={(tok, user) => {
            if (user.role !== 'admin') {
              void api.call('auth.logout', {}, { sessionToken: tok });
              setError(t('setup.admin.notAdmin'));
              return;
            }
            setToken(tok);
            go('hub');
          }}
        />
      </>
    );
  } else if (step === 'hub' && token && state) {
    body = <SetupHub api={api} sessionToken={token} enrolled={state.hub} onEnrolled={(hub) => setState({ ...state, hub })} onNext={() => go('devices')} />;
  } else if (step === 'devices' && token) {
    body = <SetupDevices api={api} sessionToken={token} devices={devices} onChange={setDevices} onNext={() => go('done')} />;
  } else if (step === 'done' && state) {
    body = (
      <>
        <p className="muted">{t('setup.done.hint')}</p>
        <dl className="setup-summary" data-testid="setup-summary">
          <dt>{t('setup.done.language')}</dt>
          <dd>{t(language === 'en' ? 'setup.language.en' : 'setup.language.zh')}</dd>
          <dt>{t('setup.done.hub')}</dt>
          <dd>{state.hub ? `${state.hub.terminalId} → ${state.hub.url}` : t('setup.done.standalone')}</dd>
          <dt>{t('setup.devices.printer')}</dt>
          <dd>{devices.printer ? `${devices.printer.address} (${devices.printer.width} mm)` : t('setup.devices.none')}</dd>
          <dt>{t('setup.devices.scanner')}</dt>
          <dd>{devices.scanner ? (devices.scanner.kind === 'wedge' ? t('setup.devices.wedge') : devices.scanner.path) : t('setup.devices.none')}</dd>
          <dt>{t('setup.devices.drawer')}</dt>
          <dd>{devices.drawer ? (devices.drawer.kind === 'printer' ? t('setup.devices.onPrinter') : devices.drawer.path) : t('setup.devices.none')}</dd>
          <dt>{t('setup.devices.display')}</dt>
          <dd>{devices.display ? devices.display.path : t('setup.devices.none')}</dd>
        </dl>
        <button type="button" className="primary big" data-testid="setup-save" disabled={busy} onClick={() => void save()}>
          {t('setup.done.save')}
        </button>
      </>
    );
  } else {
    body = <p className="muted">{t('status.connecting')}</p>;
  }

  return (
    <main className="setup" data-testid="setup">
      <section className="setup-card">
        <header className="setup-head">
          <h1>{t('setup.title')}</h1>
          <button type="button" data-testid="setup-cancel" onClick={() => void leave()}>
            {t('setup.cancel')}
          </button>
        </header>
        <ol className="setup-steps">
          {STEPS.map((s, i) => (
            <li key={s} className={i === at ? 'current' : i < at ? 'done' : ''}>
              {t(`setup.steps.${s}`)}
            </li>
          ))}
        </ol>
        {error ? (
          <p className="error" role="alert" data-testid="setup-error">
            {error}
          </p>
        ) : null}
        {body}
        {at > 0 && step !== 'admin' ? (
          <button type="button" className="setup-back" data-testid="setup-back" onClick={() => go(STEPS[at - 1] === 'admin' && token ? 'language' : (STEPS[at - 1] as Step))}>
            {t('setup.back')}
          </button>
        ) : null}
      </section>
    </main>
  );
}
