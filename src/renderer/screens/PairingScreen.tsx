/** Shown by a browser on a lane server bound to the LAN until it presents the terminal's pairing code. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function PairingScreen(props: { message: string; onPair: (code: string) => void }) {
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
        <p className="error" role="alert">
          {props.message}
        </p>
        <button type="submit" className="primary big" disabled={code.length !== 6}>
          {t('pairing.submit')}
        </button>
      </form>
    </main>
  );
}
