/** The cash drawer outside a sale: paid-in and paid-out with a reason, opening it with no sale, and handing the till to another cashier. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AmountField, DialogError, hundredths } from '../components/AmountField';
import { Modal } from '../components/Modal';

function ReasonPicker(props: { reasons: string[]; value: string; onChange: (r: string) => void }) {
  const { t } = useTranslation();
  return (
    <div className="reason-picker">
      <div className="chips">
        {props.reasons.map((r) => (
          <button type="button" key={r} data-testid="reason-chip" className={props.value === r ? 'chip on' : 'chip'} onClick={() => props.onChange(r)}>
            {r}
          </button>
        ))}
      </div>
      <label className="field">
        <span>{t('drawer.reason')}</span>
        <input data-testid="reason-input" autoComplete="off" value={props.value} maxLength={80} onChange={(e) => props.onChange(e.target.value)} />
      </label>
    </div>
  );
}

export function CashMovementDialog(props: { kind: 'in' | 'out'; busy: boolean; error: string | null; onSubmit: (amount: number, reason: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const amount = hundredths(text);
  const valid = amount !== null && amount > 0 && reason.trim() !== '';
  const reasons = t(props.kind === 'in' ? 'drawer.inReasons' : 'drawer.outReasons', { returnObjects: true }) as string[];
  return (
    <Modal title={t(props.kind === 'in' ? 'drawer.paidIn' : 'drawer.paidOut')} onClose={props.onClose} wide testId="cash-movement-dialog">
      <form
        className="two-col"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid && !props.busy) props.onSubmit(amount, reason.trim());
        }}
      >
        <div className="tender">
          <DialogError error={props.error} />
          <ReasonPicker reasons={reasons} value={reason} onChange={setReason} />
          <button type="submit" className="primary big" data-testid="movement-submit" disabled={!valid || props.busy}>
            {t(props.kind === 'in' ? 'drawer.paidIn' : 'drawer.paidOut')}
          </button>
        </div>
        <div className="tender">
          <AmountField label={t('tender.amount')} value={text} onChange={setText} testId="movement-amount" autoFocus />
        </div>
      </form>
    </Modal>
  );
}

export function NoSaleDialog(props: { busy: boolean; error: string | null; onOpen: (reason: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const reasons = t('drawer.noSaleReasons', { returnObjects: true }) as string[];
  return (
    <Modal title={t('drawer.noSale')} onClose={props.onClose} testId="no-sale-dialog">
      <form
        className="tender"
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim() && !props.busy) props.onOpen(reason.trim());
        }}
      >
        <DialogError error={props.error} />
        <p className="dialog-sub">{t('drawer.noSaleHint')}</p>
        <ReasonPicker reasons={reasons} value={reason} onChange={setReason} />
        <button type="submit" className="primary big" data-testid="no-sale-submit" disabled={!reason.trim() || props.busy}>
          {t('drawer.open')}
        </button>
      </form>
    </Modal>
  );
}

export function SwitchUserDialog(props: { busy: boolean; error: string | null; onSwitch: (userCode: string, pin: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [userCode, setUserCode] = useState('');
  const [pin, setPin] = useState('');
  return (
    <Modal title={t('switch.title')} onClose={props.onClose} testId="switch-dialog">
      <form
        className="tender"
        onSubmit={(e) => {
          e.preventDefault();
          if (userCode && pin && !props.busy) props.onSwitch(userCode, pin);
        }}
      >
        <DialogError error={props.error} />
        <p className="dialog-sub">{t('switch.hint')}</p>
        <label className="field active">
          <span>{t('login.user')}</span>
          <input data-testid="switch-user" inputMode="numeric" autoFocus autoComplete="off" value={userCode} onChange={(e) => setUserCode(e.target.value.replace(/\D/g, '').slice(0, 8))} />
        </label>
        <label className="field">
          <span>{t('login.pin')}</span>
          <input data-testid="switch-pin" type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))} />
        </label>
        <button type="submit" className="primary big" data-testid="switch-submit" disabled={!userCode || !pin || props.busy}>
          {t('switch.submit')}
        </button>
      </form>
    </Modal>
  );
}
