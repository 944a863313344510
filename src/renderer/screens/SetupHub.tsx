/**
 * Set-up, the hub step: stand-alone, or enroll. The hub is checked first
 * (setup.probeHub sends it nothing): reachable, https, and its certificate's
 * SHA-256 fingerprint, which the person compares with the hub's before
 * enrolling when this computer does not trust the certificate; then the
 * one-time code is traded for the till's token (setup.enroll).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../shared/contract';
import type { TillApi } from '../../shared/contract/api';
import type { HubProbe } from '../../shared/contract/setup';
import { useErrorText } from '../use-till';

type Enrolled = MethodOutput<'setup.state'>['hub'];

export function SetupHub(props: { api: TillApi; sessionToken: string; enrolled: Enrolled; onEnrolled: (hub: NonNullable<Enrolled>) => void; onNext: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const ctx = { sessionToken: props.sessionToken };
  const [mode, setMode] = useState<'standalone' | 'enroll'>(props.enrolled ? 'enroll' : 'standalone');
  const [url, setUrl] = useState('');
  const [probe, setProbe] = useState<HubProbe | null>(null);
  const [accepted, setAccepted] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const check = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    setAccepted(false);
    const r = await props.api.call('setup.probeHub', { url }, ctx);
    setBusy(false);
    if (!r.ok) return setError(errorText(r.error));
    setProbe(r.value);
  };

  const enroll = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!probe) return;
    setBusy(true);
    setError(null);
    const r = await props.api.call('setup.enroll', { url: probe.url, code, fingerprint: probe.tls && !probe.trusted ? probe.fingerprint : null }, ctx);
    setBusy(false);
    if (!r.ok) return setError(errorText(r.error));
    props.onEnrolled({ url: r.value.url, terminalId: r.value.terminalId, pinned: r.value.pinned });
  };

  const mayEnroll = probe?.reachable === true && (!probe.tls || probe.trusted || accepted) && code.trim().length >= 4;

  return (
    <div className="setup-step">
      <p className="muted">{t('setup.hub.hint')}</p>
      <div className="setup-choices">
        <button type="button" className={`big${mode === 'standalone' ? ' primary' : ''}`} data-testid="setup-hub-standalone" onClick={() => setMode('standalone')} disabled={props.enrolled !== null}>
          {t('setup.hub.standalone')}
        </button>
        <button type="button" className={`big${mode === 'enroll' ? ' primary' : ''}`} data-testid="setup-hub-enroll" onClick={() => setMode('enroll')}>
          {t('setup.hub.enroll')}
        </button>
      </div>
      {props.enrolled ? (
        <p className="setup-ok" data-testid="setup-hub-enrolled">
          {t('setup.hub.enrolled', { terminalId: props.enrolled.terminalId, url: props.enrolled.url })}
          {props.enrolled.pinned ? t('setup.hub.pinned') : ''}
        </p>
      ) : mode === 'enroll' ? (
        <>
          <form className="setup-inline" onSubmit={(e) => void check(e)}>
            <label className="field">
              <span>{t('setup.hub.url')}</span>
              <input data-testid="setup-hub-url" value={url} placeholder={t('setup.hub.urlPlaceholder')} onChange={(e) => setUrl(e.target.value)} autoComplete="off" spellCheck={false} />
            </label>
            <button type="submit" data-testid="setup-hub-check" disabled={busy || url.trim() === ''}>
              {t('setup.hub.check')}
            </button>
          </form>
          {probe ? (
            <div className="setup-probe" data-testid="setup-hub-probe">
              <p className={probe.reachable ? 'setup-ok' : 'error'}>{t(probe.reachable ? 'setup.hub.reachable' : 'setup.hub.unreachable')}</p>
              {probe.tls ? (
                <>
                  <p className={probe.trusted ? 'setup-ok' : 'setup-warn'}>{t(probe.trusted ? 'setup.hub.trusted' : 'setup.hub.untrusted')}</p>
                  <dl className="setup-summary">
                    <dt>{t('setup.hub.fingerprint')}</dt>
                    <dd className="fingerprint" data-testid="setup-hub-fingerprint">
                      {probe.fingerprint}
                    </dd>
                    <dt>{t('setup.hub.subject')}</dt>
                    <dd>{probe.subject}</dd>
                    <dt>{t('setup.hub.validTo')}</dt>
                    <dd>{probe.validTo?.slice(0, 10)}</dd>
                  </dl>
                  {!probe.trusted ? (
                    <label className="setup-check">
                      <input type="checkbox" data-testid="setup-hub-accept" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} />
                      <span>{t('setup.hub.accept')}</span>
                    </label>
                  ) : null}
                </>
              ) : (
                <p className="setup-warn">{t('setup.hub.plain')}</p>
              )}
              {probe.problem ? (
                <details>
                  <summary>{t('setup.devices.detail')}</summary>
                  <code>{probe.problem}</code>
                </details>
              ) : null}
              <form className="setup-inline" onSubmit={(e) => void enroll(e)}>
                <label className="field">
                  <span>{t('setup.hub.code')}</span>
                  <input data-testid="setup-hub-code" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" spellCheck={false} />
                </label>
                <button type="submit" className="primary" data-testid="setup-hub-enroll-submit" disabled={busy || !mayEnroll}>
                  {t('setup.hub.enrollNow')}
                </button>
              </form>
            </div>
          ) : null}
        </>
      ) : null}
      {error ? (
        <p className="error" role="alert" data-testid="setup-hub-error">
          {error}
        </p>
      ) : null}
      <button type="button" className="primary big" data-testid="setup-next" disabled={mode === 'enroll' && !props.enrolled} onClick={props.onNext}>
        {t('setup.next')}
      </button>
    </div>
  );
}
