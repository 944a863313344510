/** Dialogs around the cart: quantity, held sales, voiding the sale, and the supervisor override. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../shared/contract';
import type { CartLine } from '../../shared/contract/cart';
import { Keypad } from '../components/Keypad';
import { applyKey } from '../keypad-input';
import { Modal } from '../components/Modal';
import { money } from '../format';

export type HeldCart = MethodOutput<'cart.listHeld'>['held'][number];

export function QtyDialog(props: { line: CartLine; onSubmit: (qty: number) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const qty = Number.parseInt(text, 10);
  const valid = Number.isSafeInteger(qty) && qty > 0;
  return (
    <Modal title={t('qty.title')} onClose={props.onClose} testId="qty-dialog">
      <form
        className="tender"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) props.onSubmit(qty);
        }}
      >
        <p className="dialog-sub">{props.line.name}</p>
        <label className="field active">
          <span>{props.line.weighed ? `${t('sale.qty')} (${t('qty.grams')})` : t('sale.qty')}</span>
          <input data-testid="qty-input" inputMode="numeric" autoFocus value={text} placeholder={String(props.line.qty)} onChange={(e) => setText(e.target.value.replace(/\D/g, '').slice(0, 5))} />
        </label>
        <Keypad onKey={(k) => setText((v) => applyKey(v, k, { decimals: 0, maxLength: 5 }))} labels={{ clear: t('login.clear'), back: t('login.back') }} />
        <button type="submit" className="primary big" disabled={!valid}>
          {t('qty.submit')}
        </button>
      </form>
    </Modal>
  );
}

export function HeldDialog(props: { held: HeldCart[]; onRecall: (id: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal title={t('held.title')} onClose={props.onClose} testId="held-dialog">
      {props.held.length === 0 ? <p className="dialog-sub">{t('held.none')}</p> : null}
      <ul className="held-list">
        {props.held.map((h) => (
          <li key={h.heldId}>
            <button type="button" className="held-item" data-testid="held-item" onClick={() => props.onRecall(h.heldId)}>
              <span>{new Date(h.at).toLocaleTimeString()}</span>
              <span>{h.note || h.cashier}</span>
              <span>× {h.items}</span>
              <strong>{money(h.total)}</strong>
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}

export function VoidSaleDialog(props: { onVoid: (reason: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const reasons = t('voidSale.reasons', { returnObjects: true }) as string[];
  return (
    <Modal title={t('voidSale.title')} onClose={props.onClose} testId="void-dialog">
      <div className="reasons">
        {reasons.map((r) => (
          <button type="button" key={r} className="danger big" data-testid="void-reason" onClick={() => props.onVoid(r)}>
            {r}
          </button>
        ))}
      </div>
    </Modal>
  );
}

export function OverrideDialog(props: { onSubmit: (userCode: string, pin: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [userCode, setUserCode] = useState('');
  const [pin, setPin] = useState('');
  return (
    <Modal title={t('override.title')} onClose={props.onClose} testId="override-dialog">
      <form
        className="tender"
        onSubmit={(e) => {
          e.preventDefault();
          if (userCode && pin) props.onSubmit(userCode, pin);
        }}
      >
        <p className="dialog-sub">{t('override.hint')}</p>
        <label className="field active">
          <span>{t('login.user')}</span>
          <input data-testid="override-user" inputMode="numeric" autoFocus autoComplete="off" value={userCode} onChange={(e) => setUserCode(e.target.value.replace(/\D/g, '').slice(0, 8))} />
        </label>
        <label className="field">
          <span>{t('login.pin')}</span>
          <input data-testid="override-pin" type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))} />
        </label>
        <button type="submit" className="primary big" data-testid="override-submit" disabled={!userCode || !pin}>
          {t('override.submit')}
        </button>
      </form>
    </Modal>
  );
}
