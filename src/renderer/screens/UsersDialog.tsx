/** A manager's list of the users of this terminal; an admin adds or changes users (role, PIN) and disables them; a supervisor or above lifts a lockout. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { pinSchema, userCodeSchema } from '../../shared/contract/auth';
import { ROLES, type Role } from '../../shared/contract/define';
import type { UserListEntry } from '../../shared/contract/users';
import { DialogError } from '../components/AmountField';
import { Modal } from '../components/Modal';
import type { Caller } from '../use-till';

export function UsersDialog(props: { call: Caller['call']; busy: boolean; error: string | null; role: Role; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { call } = props;
  const [users, setUsers] = useState<UserListEntry[]>([]);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('cashier');
  const [pin, setPin] = useState('');
  const admin = props.role === 'admin';

  const load = useCallback(async () => {
    const r = await call('users.list', {});
    if (r) setUsers(r.users);
  }, [call]);
  useEffect(() => void load(), [load]);

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (await call('users.save', { code, name: name.trim(), role, pin })) {
      setCode('');
      setName('');
      setPin('');
      await load();
    }
  };
  const act = async (what: 'users.disable' | 'users.unlock', userCode: string): Promise<void> => {
    if (await call(what, { code: userCode })) await load();
  };
  const valid = userCodeSchema.safeParse(code).success && name.trim() !== '' && pinSchema.safeParse(pin).success;

  return (
    <Modal title={t('users.title')} onClose={props.onClose} wide testId="users-dialog">
      <div className="tender">
        <DialogError error={props.error} />
        <table className="table left">
          <thead>
            <tr>
              <th>{t('login.user')}</th>
              <th>{t('users.name')}</th>
              <th>{t('users.role')}</th>
              <th>{t('users.state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.code} data-testid="user-row" className={u.active ? '' : 'muted'}>
                <td>{u.code}</td>
                <td>{u.name}</td>
                <td>{t(`users.roles.${u.role}`)}</td>
                <td>
                  {!u.active ? t('users.disabled') : u.lockedUntil ? `${t('users.locked')} ${new Date(u.lockedUntil).toLocaleTimeString(i18n.language)}` : t('users.active')}
                </td>
                <td>
                  <div className="cell-actions">
                    {u.lockedUntil ? (
                      <button type="button" data-testid={`user-unlock-${u.code}`} disabled={props.busy} onClick={() => void act('users.unlock', u.code)}>
                        {t('users.unlock')}
                      </button>
                    ) : null}
                    {admin && u.active ? (
                      <button type="button" className="danger" data-testid={`user-disable-${u.code}`} disabled={props.busy} onClick={() => void act('users.disable', u.code)}>
                        {t('users.disable')}
                      </button>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {admin ? (
          <form className="user-form" onSubmit={(e) => void save(e)}>
            <h3 className="section">{t('users.add')}</h3>
            <label className="field">
              <span>{t('login.user')}</span>
              <input data-testid="user-code" inputMode="numeric" autoComplete="off" value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 8))} />
            </label>
            <label className="field">
              <span>{t('users.name')}</span>
              <input data-testid="user-name" autoComplete="off" maxLength={40} value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <label className="field">
              <span>{t('users.role')}</span>
              <select data-testid="user-role" value={role} onChange={(e) => setRole(ROLES.find((r) => r === e.target.value) ?? 'cashier')}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`users.roles.${r}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('login.pin')}</span>
              <input data-testid="user-pin" type="password" inputMode="numeric" autoComplete="new-password" value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))} />
            </label>
            <button type="submit" className="primary big" data-testid="user-save" disabled={!valid || props.busy}>
              {t('users.save')}
            </button>
          </form>
        ) : (
          <p className="dialog-sub">{t('users.adminOnly')}</p>
        )}
      </div>
    </Modal>
  );
}
