/** Sign-in with user code and PIN, by keyboard or the touch keypad. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TillApi } from '../../shared/contract/api';
import type { UserView } from '../../shared/contract/auth';
import { Keypad } from '../components/Keypad';
import { applyKey, type PadKey } from '../keypad-input';
import { useErrorText } from '../use-till';

export function LoginScreen(props: { api: TillApi; onLogin: (token: string, user: UserView) => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [userCode, setUserCode] = useState('');
  const [pin, setPin] = useState('');
  const [field, setField] = useState<'user' | 'pin'>('user');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    if (busy) return;
    if (field === 'user' && pin === '') {
      setField('pin');
      document.getElementById('login-pin')?.focus();
      return;
    }
    setBusy(true);
    const r = await props.api.call('auth.login', { userCode, pin });
    setBusy(false);
    if (!r.ok) {
      setError(errorText(r.error));
      setPin('');
      setField('pin');
      return;
    }
    props.onLogin(r.value.sessionToken, r.value.user);
  };

  const onPad = (k: PadKey): void => {
    if (field === 'user') setUserCode((v) => applyKey(v, k, { decimals: 0, maxLength: 8 }));
    else setPin((v) => applyKey(v, k, { decimals: 0, maxLength: 8 }));
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={(e) => void submit(e)}>
        <h1>{t('login.title')}</h1>
        <label className={field === 'user' ? 'field active' : 'field'}>
          <span>{t('login.user')}</span>
          <input
            id="login-user"
            data-testid="login-user"
            inputMode="numeric"
            autoComplete="off"
            autoFocus
            value={userCode}
            onFocus={() => setField('user')}
            onChange={(e) => setUserCode(e.target.value.replace(/\D/g, '').slice(0, 8))}
          />
        </label>
        <label className={field === 'pin' ? 'field active' : 'field'}>
          <span>{t('login.pin')}</span>
          <input
            id="login-pin"
            data-testid="login-pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={pin}
            onFocus={() => setField('pin')}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
          />
        </label>
        {error ? (
          <p className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <Keypad onKey={onPad} labels={{ clear: t('login.clear'), back: t('login.back') }} />
        <button type="submit" className="primary big" data-testid="login-submit" disabled={busy || userCode === '' || pin === ''}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
