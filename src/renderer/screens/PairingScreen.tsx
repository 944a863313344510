/**
 * Shown by a browser opened by hand (without the lane's secret in its URL) until it presents the pairing
 * code shown at the till. On a LAN lane (HTTPS) it also shows the till's certificate fingerprint, to compare
 * with the one the till printed and the one the browser shows for this site before entering the code.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function PairingScreen(props: { refusal: string; fingerprint: string | null; onPair: (code: string) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  return (
    <main className="login">
      <form
        className="login-card"
        onSubmit={(e) => {
          e.preventDefault();
          props.onPair(code);
        }}
      >
        <h1>{t('pairing.title')}</h1>
        <p>{t('pairing.hint')}</p>
        {props.fingerprint ? (
          <div className="fingerprint">
            <span className="muted">{t('pairing.fingerprint')}</span>
            <code data-testid="pairing-fingerprint">
              {(props.fingerprint.match(/(?:[0-9A-F]{2}:?){1,8}/g) ?? []).map((group, i) => (
                <span key={i}>{group}</span>
              ))}
            </code>
            <span className="muted">{t('pairing.compare')}</span>
          </div>
        ) : null}
        <label className="field active">
          <span>{t('pairing.code')}</span>
          <input data-testid="pairing-code" inputMode="numeric" autoFocus value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))} />
        </label>
        {props.refusal === 'pairing-required' ? null : (
          <p className="error" role="alert" data-testid="pairing-error">
            {t(props.refusal === 'locked-out' ? 'pairing.lockedOut' : 'pairing.wrong')}
          </p>
        )}
        <button type="submit" className="primary big" disabled={code.length !== 6}>
          {t('pairing.submit')}
        </button>
      </form>
    </main>
  );
}
