/**
 * Discounts, price override and the member, from the sale screen. A discount
 * is an amount (fen) or a percent (basis points) on the selected line or on
 * the whole cart; over the cashier's limit the terminal answers
 * 'override-required' and the caller asks for a supervisor.
 */
import { maskNumber } from '../../shared/mask';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CartLine, CartView, Discount } from '../../shared/contract/cart';
import { AmountField, DialogError, hundredths } from '../components/AmountField';
import { Modal } from '../components/Modal';
import { money } from '../format';

const QUICK_PERCENT = [500, 1000, 2000, 3000, 5000];

const describe = (d: Discount): string => (d.kind === 'amount' ? `-${money(d.amount)}` : `-${d.basisPoints / 100}%`);

export function DiscountDialog(props: {
  cart: CartView;
  line: CartLine | null;
  busy: boolean;
  error: string | null;
  onApply: (target: 'line' | 'cart', discount: Discount | null) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<'line' | 'cart'>(props.line ? 'line' : 'cart');
  const [kind, setKind] = useState<Discount['kind']>('percent');
  const [text, setText] = useState('');
  const value = hundredths(text);
  const current = target === 'line' ? (props.line?.discount ?? null) : props.cart.cartDiscount;
  const valid = value !== null && value > 0 && (kind === 'amount' || value <= 10000);
  const apply = (v: number): void => props.onApply(target, kind === 'amount' ? { kind, amount: v } : { kind, basisPoints: v });
  return (
    <Modal title={t('discount.title')} onClose={props.onClose} wide testId="discount-dialog">
      <form
        className="two-col"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid && !props.busy) apply(value);
        }}
      >
        <div className="tender">
          <DialogError error={props.error} />
          <div className="segmented">
            <button type="button" data-testid="discount-line" className={target === 'line' ? 'on' : ''} disabled={!props.line} onClick={() => setTarget('line')}>
              {t('discount.line')}
            </button>
            <button type="button" data-testid="discount-cart" className={target === 'cart' ? 'on' : ''} onClick={() => setTarget('cart')}>
              {t('discount.cart')}
            </button>
          </div>
          <p className="dialog-sub">
            {target === 'line' && props.line ? `${props.line.name} · ${money(props.line.gross)}` : `${t('sale.gross')} ${money(props.cart.totals.gross)}`}
            {current ? ` · ${t('discount.current')} ${describe(current)}` : ''}
          </p>
          <div className="segmented">
            <button type="button" data-testid="discount-percent" className={kind === 'percent' ? 'on' : ''} onClick={() => setKind('percent')}>
              {t('discount.percent')}
            </button>
            <button type="button" data-testid="discount-amount" className={kind === 'amount' ? 'on' : ''} onClick={() => setKind('amount')}>
              {t('discount.amount')}
            </button>
          </div>
          {kind === 'percent' ? (
            <div className="quick">
              {QUICK_PERCENT.map((bp) => (
                <button type="button" key={bp} className="quick-amount" data-testid={`discount-quick-${bp / 100}`} disabled={props.busy} onClick={() => apply(bp)}>
                  {bp / 100}%
                </button>
              ))}
            </div>
          ) : null}
          {current ? (
            <button type="button" className="danger big" data-testid="discount-remove" disabled={props.busy} onClick={() => props.onApply(target, null)}>
              {t('discount.remove')}
            </button>
          ) : null}
          <button type="submit" className="primary big" data-testid="discount-apply" disabled={!valid || props.busy}>
            {t('discount.apply')}
          </button>
        </div>
        <div className="tender">
          <AmountField label={kind === 'percent' ? t('discount.percentOff') : t('discount.amountOff')} value={text} onChange={setText} testId="discount-value" autoFocus />
        </div>
      </form>
    </Modal>
  );
}

export function PriceDialog(props: { line: CartLine; busy: boolean; error: string | null; onSet: (unitPrice: number | null) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const price = hundredths(text);
  return (
    <Modal title={t('price.title')} onClose={props.onClose} testId="price-dialog">
      <form
        className="tender"
        onSubmit={(e) => {
          e.preventDefault();
          if (price !== null && !props.busy) props.onSet(price);
        }}
      >
        <DialogError error={props.error} />
        <p className="dialog-sub">
          {props.line.name} · {t('price.now')} {money(props.line.unitPrice)}
        </p>
        <AmountField label={t('price.new')} value={text} onChange={setText} testId="price-value" autoFocus />
        <div className="row-buttons">
          {props.line.priceOverride !== null ? (
            <button type="button" className="big" data-testid="price-restore" disabled={props.busy} onClick={() => props.onSet(null)}>
              {t('price.restore')}
            </button>
          ) : null}
          <button type="submit" className="primary big" data-testid="price-apply" disabled={price === null || props.busy}>
            {t('price.apply')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function MemberDialog(props: {
  cart: CartView;
  busy: boolean;
  error: string | null;
  /** a member card scanned while the dialog is open */
  scanned: { code: string; n: number } | null;
  onSet: (code: string | null) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { scanned, onSet } = props;
  const [code, setCode] = useState('');
  const handled = useRef(0);
  useEffect(() => {
    if (!scanned || scanned.n === handled.current) return;
    handled.current = scanned.n;
    onSet(scanned.code);
  }, [scanned, onSet]);
  const valid = /^\d{4,20}$/.test(code);
  return (
    <Modal title={t('member.title')} onClose={props.onClose} testId="member-dialog">
      <form
        className="tender"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid && !props.busy) props.onSet(code);
        }}
      >
        <DialogError error={props.error} />
        {props.cart.member ? (
          <p className="member" data-testid="member-current">
            {t('sale.member')}: {props.cart.member.name} ({maskNumber(props.cart.member.code)})
          </p>
        ) : (
          <p className="dialog-sub">{t('member.hint')}</p>
        )}
        <label className="field active">
          <span>{t('member.code')}</span>
          <input data-testid="member-code" inputMode="numeric" autoComplete="off" autoFocus value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 20))} />
        </label>
        <div className="row-buttons">
          {props.cart.member ? (
            <button type="button" className="danger big" data-testid="member-clear" disabled={props.busy} onClick={() => props.onSet(null)}>
              {t('member.clear')}
            </button>
          ) : null}
          <button type="submit" className="primary big" data-testid="member-apply" disabled={!valid || props.busy}>
            {t('member.apply')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
