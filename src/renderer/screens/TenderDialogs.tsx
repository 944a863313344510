/** The tender dialogs (cash with quick amounts and change, card reference, payment code) and the receipt after a sale. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CartView } from '../../shared/contract/cart';
import type { CompletedSale } from '../../shared/contract/tender';
import { parseMinor } from '../../shared/money';
import { Keypad } from '../components/Keypad';
import { applyKey, type PadKey } from '../keypad-input';
import { Modal } from '../components/Modal';
import { ReceiptView } from '../components/ReceiptView';
import { money } from '../format';

const amountOf = (text: string): number | null => {
  if (text === '' || text === '.') return null;
  try {
    return parseMinor(text);
  } catch {
    return null;
  }
};

export function CashDialog(props: { cart: CartView; busy: boolean; onPay: (tendered: number) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const due = props.cart.totals.remaining;
  const [text, setText] = useState('');
  const tendered = amountOf(text);
  const change = tendered !== null && tendered > due ? tendered - due : 0;
  const pay = (amount: number | null): void => {
    if (amount !== null && amount > 0 && !props.busy) props.onPay(amount);
  };
  return (
    <Modal title={t('tender.cashTitle')} onClose={props.onClose} testId="cash-dialog">
      <form
        className="tender"
        onSubmit={(e) => {
          e.preventDefault();
          pay(tendered ?? due);
        }}
      >
        <div className="due">
          <span>{t('tender.due')}</span>
          <strong data-testid="cash-due">{money(due)}</strong>
        </div>
        <div className="quick">
          {props.cart.quickCash.map((q, i) => (
            <button type="button" key={q} className="quick-amount" data-testid={`quick-${q}`} onClick={() => pay(q)}>
              {i === 0 && q === due ? `${t('tender.exact')} ${money(q)}` : money(q)}
            </button>
          ))}
        </div>
        <label className="field active">
          <span>{t('tender.tendered')}</span>
          <input
            data-testid="cash-tendered"
            inputMode="decimal"
            autoFocus
            value={text}
            placeholder={money(due)}
            onChange={(e) => setText(e.target.value.replace(/[^\d.]/g, ''))}
          />
        </label>
        <div className="change-preview">
          <span>{t('tender.change')}</span>
          <strong>{money(change)}</strong>
        </div>
        <Keypad decimals onKey={(k: PadKey) => setText((v) => applyKey(v, k, { decimals: 2, maxLength: 9 }))} labels={{ clear: t('login.clear'), back: t('login.back') }} />
        <button type="submit" className="primary big" data-testid="cash-pay" disabled={props.busy}>
          {t('tender.pay')}
        </button>
      </form>
    </Modal>
  );
}

export function CardDialog(props: { cart: CartView; busy: boolean; onPay: (amount: number, reference: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const due = props.cart.totals.remaining;
  const [text, setText] = useState('');
  const [reference, setReference] = useState('');
  const amount = amountOf(text) ?? due;
  return (
    <Modal title={t('tender.cardTitle')} onClose={props.onClose} testId="card-dialog">
      <form
        className="tender"
        onSubmit={(e) => {
          e.preventDefault();
          if (amount > 0 && reference.length >= 4) props.onPay(amount, reference);
        }}
      >
        <div className="due">
          <span>{t('tender.due')}</span>
          <strong>{money(due)}</strong>
        </div>
        <label className="field">
          <span>{t('tender.amount')}</span>
          <input data-testid="card-amount" inputMode="decimal" value={text} placeholder={money(due)} onChange={(e) => setText(e.target.value.replace(/[^\d.]/g, ''))} />
        </label>
        <label className="field active">
          <span>{t('tender.reference')}</span>
          <input data-testid="card-reference" autoFocus autoComplete="off" value={reference} maxLength={40} onChange={(e) => setReference(e.target.value.replace(/[^0-9A-Za-z-]/g, ''))} />
        </label>
        <button type="submit" className="primary big" data-testid="card-pay" disabled={props.busy || reference.length < 4}>
          {t('tender.pay')}
        </button>
      </form>
    </Modal>
  );
}

export function PaymentCodeDialog(props: { cart: CartView; busy: boolean; onPay: (code: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  return (
    <Modal title={t('tender.codeTitle')} onClose={props.onClose} testId="code-dialog">
      <form
        className="tender"
        onSubmit={(e) => {
          e.preventDefault();
          if (/^\d{16,24}$/.test(code)) props.onPay(code);
        }}
      >
        <div className="due">
          <span>{t('tender.due')}</span>
          <strong>{money(props.cart.totals.remaining)}</strong>
        </div>
        <label className="field active">
          <span>{t('tender.code')}</span>
          <input data-testid="payment-code" inputMode="numeric" autoFocus autoComplete="off" value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 24))} />
        </label>
        <button type="submit" className="primary big" disabled={props.busy || !/^\d{16,24}$/.test(code)}>
          {t('tender.pay')}
        </button>
      </form>
    </Modal>
  );
}

export function CompletedDialog(props: { sale: CompletedSale; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal title={t('receipt.title')} onClose={props.onClose} wide testId="completed-dialog">
      <div className="completed">
        <div className="change-big">
          <span>{t('receipt.change')}</span>
          <strong data-testid="change">{money(props.sale.change)}</strong>
          <small>
            {t('receipt.receiptNo')} <span data-testid="receipt-no">{props.sale.receiptNo}</span>
          </small>
          <button type="button" className="primary big" autoFocus data-testid="next-customer" onClick={props.onClose}>
            {t('receipt.next')}
          </button>
        </div>
        <ReceiptView doc={props.sale.receipt} />
      </div>
    </Modal>
  );
}
