/**
 * Sign-in with user code and PIN, by keyboard or the touch keypad. A user
 * whose PIN was one-time (till init) or stored in the older form chooses a
 * new PIN right here before the till opens (auth.changePin).
 */
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
  const [change, setChange] = useState<{ token: string; user: UserView } | null>(null);
  const [newPin, setNewPin] = useState('');
  const [confirmPin, setConfirmPin] = useState('');

  const submitChange = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!change || busy) return;
    if (newPin !== confirmPin) {
      setError(t('login.pinMismatch'));
      return;
    }
    setBusy(true);
    const r = await props.api.call('auth.changePin', { currentPin: pin, newPin }, { sessionToken: change.token });
    setBusy(false);
    if (!r.ok) {
      setError(errorText(r.error));
      return;
    }
    props.onLogin(change.token, change.user);
  };

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
    if (r.value.mustChangePin) {
      setError(null);
      setChange({ token: r.value.sessionToken, user: r.value.user });
      return;
    }
    props.onLogin(r.value.sessionToken, r.value.user);
  };

  const onPad = (k: PadKey): void => {
    if (field === 'user') setUserCode((v) => applyKey(v, k, { decimals: 0, maxLength: 8 }));
    else setPin((v) => applyKey(v, k, { decimals: 0, maxLength: 8 }));
  };

  const digits = (v: string) => v.replace(/\D/g, '').slice(0, 8);
  if (change) {
    return (
      <main className="login">
        <form className="login-card" data-testid="change-pin" onSubmit={(e) => void submitChange(e)}>
          <h1>{t('login.changeTitle')}</h1>
          <p>{t('login.changeHint')}</p>
          <label className="field active">
            <span>{t('login.newPin')}</span>
            <input data-testid="new-pin" type="password" inputMode="numeric" autoComplete="off" autoFocus value={newPin} onChange={(e) => setNewPin(digits(e.target.value))} />
          </label>
          <label className="field">
            <span>{t('login.confirmPin')}</span>
            <input data-testid="confirm-pin" type="password" inputMode="numeric" autoComplete="off" value={confirmPin} onChange={(e) => setConfirmPin(digits(e.target.value))} />
          </label>
          {error ? (
            <p className="error" role="alert" data-testid="login-error">
              {error}
            </p>
          ) : null}
          <button type="submit" className="primary big" data-testid="change-pin-submit" disabled={busy || newPin.length < 4 || confirmPin === ''}>
            {t('login.changeSubmit')}
          </button>
        </form>
      </main>
    );
  }

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
