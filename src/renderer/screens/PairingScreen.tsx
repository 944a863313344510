/** Shown by a browser opened by hand (without the lane's secret in its URL) until it presents the pairing code shown at the till. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function PairingScreen(props: { refusal: string; onPair: (code: string) => void }) {
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
