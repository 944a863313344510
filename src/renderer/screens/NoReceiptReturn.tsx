/**
 * A return without a receipt: items scanned or typed (barcode or PLU), paid
 * back in cash at today's catalog price (price x quantity, as the terminal
 * computes it), always with a supervisor, up to the store's limit (the
 * terminal refuses above it with the limit in the message).
 */
import { useRef, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProductView } from '../../shared/contract/catalog';
import type { RefundResult } from '../../shared/contract/refund';
import { DialogError } from '../components/AmountField';
import { money } from '../format';
import type { Caller } from '../use-till';

interface Item {
  product: ProductView;
  qty: number;
}

export function NoReceiptReturn(props: {
  call: Caller['call'];
  busy: boolean;
  error: string | null;
  scanned: { code: string; n: number } | null;
  onDone: (r: RefundResult) => void;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const { call, scanned } = props;
  const [code, setCode] = useState('');
  const [items, setItems] = useState<Item[]>([]);
  const [reason, setReason] = useState('');
  const reasons = t('refund.reasons', { returnObjects: true }) as string[];
  const handled = useRef(scanned?.n ?? 0);

  const add = async (raw: string): Promise<void> => {
    const text = raw.trim();
    if (!text) return;
    const p = await call('catalog.lookup', { code: text });
    if (!p) return;
    setCode('');
    setItems((list) => (list.some((i) => i.product.sku === p.sku) ? list.map((i) => (i.product.sku === p.sku ? { ...i, qty: i.qty + 1 } : i)) : [...list, { product: p, qty: 1 }]));
  };
  const addRef = useRef(add);
  addRef.current = add;
  useEffect(() => {
    if (!scanned || scanned.n === handled.current) return;
    handled.current = scanned.n;
    void addRef.current(scanned.code);
  }, [scanned]);

  const setQty = (sku: string, qty: number): void => setItems((list) => list.flatMap((i) => (i.product.sku !== sku ? [i] : qty > 0 ? [{ ...i, qty: Math.min(qty, 9999) }] : [])));
  const total = items.reduce((s, i) => s + i.product.price * i.qty, 0);

  const confirm = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (items.length === 0 || !reason.trim()) return;
    const r = await call('refund.noReceipt', { items: items.map((i) => ({ sku: i.product.sku, qty: i.qty })), reason: reason.trim() });
    if (r) props.onDone(r);
  };

  return (
    <div className="tender">
      <DialogError error={props.error} />
      <p className="dialog-sub">{t('refund.noReceiptHint')}</p>
      <form
        className="scan"
        onSubmit={(e) => {
          e.preventDefault();
          void add(code);
        }}
      >
        <input data-testid="no-receipt-code" className="scan-input" autoFocus autoComplete="off" value={code} placeholder={t('refund.itemPlaceholder')} onChange={(e) => setCode(e.target.value.slice(0, 32))} />
        <button type="submit" className="primary" data-testid="no-receipt-add" disabled={!code.trim() || props.busy}>
          {t('sale.add')}
        </button>
      </form>
      <form className="tender" onSubmit={(e) => void confirm(e)}>
        <ul className="refund-lines">
          {items.map((i) => (
            <li key={i.product.sku} className="refund-line on" data-testid="no-receipt-line">
              <span className="refund-name">
                {i.product.name} <small className="muted">{money(i.product.price)}</small>
              </span>
              <span className="stepper">
                <button type="button" aria-label="-" onClick={() => setQty(i.product.sku, i.qty - 1)}>
                  −
                </button>
                <strong>{i.qty}</strong>
                <button type="button" aria-label="+" onClick={() => setQty(i.product.sku, i.qty + 1)}>
                  +
                </button>
              </span>
              <span className="refund-amount">{money(i.product.price * i.qty)}</span>
            </li>
          ))}
        </ul>
        <div className="chips">
          {reasons.map((r) => (
            <button type="button" key={r} data-testid="no-receipt-reason" className={reason === r ? 'chip on' : 'chip'} onClick={() => setReason(r)}>
              {r}
            </button>
          ))}
        </div>
        <div className="due">
          <span>
            {t('refund.amount')} <small className="muted">· {t('refund.policy.cash')}</small>
          </span>
          <strong data-testid="no-receipt-total">{money(total)}</strong>
        </div>
        <div className="row-buttons">
          <button type="button" className="big" onClick={props.onBack}>
            {t('refund.withReceipt')}
          </button>
          <button type="submit" className="primary big" data-testid="no-receipt-confirm" disabled={items.length === 0 || !reason.trim() || props.busy}>
            {t('refund.confirm')}
          </button>
        </div>
      </form>
    </div>
  );
}
