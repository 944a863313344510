/**
 * The sale screen: scan field (keyboard, touch, or a keyboard-wedge scanner
 * from anywhere on the screen), cart lines with quantity and void, totals and
 * savings, tenders, hold/recall, and the receipt after the commit. Function
 * keys for the counter: F1 cash, F2 card, F3 payment code, F4 quantity,
 * F6 void line, F7 hold, F8 recall, F9 void sale, F10 close the shift,
 * arrows select a line; F5, F11 and F12 belong to the store operations
 * (StoreOps: discounts, member, returns, drawer, reports). Selling needs an open shift: without one the screen
 * asks for the float first.
 */
import { maskNumber } from '../../shared/mask';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallContext, TillApi } from '../../shared/contract/api';
import type { UserView } from '../../shared/contract/auth';
import type { ProductView } from '../../shared/contract/catalog';
import type { CartView } from '../../shared/contract/cart';
import type { CompletedSale } from '../../shared/contract/tender';
import type { Count, ShiftClose } from '../../shared/contract/shift';
import { WedgeDetector } from '../../shared/wedge';
import { money, quantity } from '../format';
import { useCaller } from '../use-till';
import { HeldDialog, OverrideDialog, QtyDialog, VoidSaleDialog, type HeldCart } from './CartDialogs';
import { CloseShiftDialog, OpenShiftScreen } from './ShiftScreens';
import { StoreOps } from './StoreOps';
import { CardDialog, CashDialog, CompletedDialog, PaymentCodeDialog } from './TenderDialogs';

type Dialog = 'cash' | 'card' | 'code' | 'qty' | 'held' | 'void' | 'shift' | null;

const KEYS: Record<string, Exclude<Dialog, null> | 'voidLine' | 'hold' | 'recall'> = {
  F1: 'cash',
  F2: 'card',
  F3: 'code',
  F4: 'qty',
  F6: 'voidLine',
  F7: 'hold',
  F8: 'recall',
  F9: 'void',
  F10: 'shift',
};

export function SaleScreen(props: { api: TillApi; sessionToken: string; onSignedOut: () => void; onSwitched: (token: string, user: UserView) => void }) {
  const { t } = useTranslation();
  const { api, sessionToken, onSignedOut } = props;
  const [cart, setCart] = useState<CartView | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [completed, setCompleted] = useState<CompletedSale | null>(null);
  const [held, setHeld] = useState<HeldCart[]>([]);
  const [results, setResults] = useState<ProductView[] | null>(null);
  const [entry, setEntry] = useState('');
  const [overrideAsk, setOverrideAsk] = useState<((o: CallContext['override'] | null) => void) | null>(null);
  const scanRef = useRef<HTMLInputElement>(null);
  /** undefined while asking, null when no shift is open */
  const [shiftOpen, setShiftOpen] = useState<boolean | undefined>(undefined);
  const [closed, setClosed] = useState<ShiftClose | null>(null);
  const [opsOpen, setOpsOpen] = useState(false);
  const opsScan = useRef<((code: string) => void) | null>(null);

  const askOverride = useCallback(() => new Promise<CallContext['override'] | null>((resolve) => setOverrideAsk(() => resolve)), []);
  const caller = useCaller(api, sessionToken, askOverride, onSignedOut);
  const { call, error, setError, busy } = caller;

  const showCart = useCallback((c: CartView, select?: number) => {
    setCart(c);
    const live = c.lines.filter((l) => !l.voided);
    setSelected((prev) => select ?? (live.some((l) => l.lineNo === prev) ? prev : (live.at(-1)?.lineNo ?? null)));
  }, []);

  useEffect(() => {
    void call('shift.current', {}).then((r) => r && setShiftOpen(r.shift !== null));
  }, [call]);

  useEffect(() => {
    if (shiftOpen) void call('cart.get', {}).then((c) => c && showCart(c));
  }, [call, showCart, shiftOpen]);

  const openShift = async (float: Count): Promise<void> => {
    if (await call('shift.open', { float })) setShiftOpen(true);
  };

  const closeShift = async (counted: Count): Promise<void> => {
    const r = await call('shift.close', { counted });
    if (r) setClosed(r);
  };

  useEffect(() => api.on('cart.changed', (p) => showCart(p.cart)), [api, showCart]);

  const finishTender = useCallback(
    (r: { cart: CartView; completed: CompletedSale | null } | null) => {
      if (!r) return;
      showCart(r.cart);
      setDialog(null);
      if (r.completed) setCompleted(r.completed);
    },
    [showCart],
  );

  const scan = useCallback(
    async (code: string) => {
      setResults(null);
      const r = await call('cart.scan', { code });
      if (!r) return;
      if (r.kind === 'item') showCart(r.cart, r.lineNo);
      else finishTender(await call('tender.paymentCode', { code: r.code }));
    },
    [call, showCart, finishTender],
  );

  useEffect(() => api.on('scan', (p) => (opsScan.current ? opsScan.current(p.code) : void scan(p.code))), [api, scan]);

  const submitEntry = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const text = entry.trim();
    if (!text) return;
    setEntry('');
    if (/^\d{1,6}$/.test(text)) {
      const r = await call('cart.addPlu', { plu: text });
      if (r) showCart(r.cart, r.lineNo);
    } else if (/^\d+$/.test(text)) {
      await scan(text);
    } else {
      const r = await call('catalog.search', { query: text, limit: 12 });
      if (r) setResults(r.products);
    }
  };

  const addProduct = async (sku: string): Promise<void> => {
    setResults(null);
    const r = await call('cart.addProduct', { sku });
    if (r) showCart(r.cart, r.lineNo);
  };

  const selectedLine = cart?.lines.find((l) => l.lineNo === selected && !l.voided) ?? null;

  const setQty = async (qty: number): Promise<void> => {
    if (!selectedLine) return;
    const c = await call('cart.setQty', { lineNo: selectedLine.lineNo, qty });
    if (c) showCart(c);
    setDialog(null);
  };

  const voidLine = async (): Promise<void> => {
    if (!selectedLine) return;
    const c = await call('cart.voidLine', { lineNo: selectedLine.lineNo });
    if (c) showCart(c);
  };

  const hold = async (): Promise<void> => {
    if (!cart || cart.totals.items === 0) return;
    const r = await call('cart.hold', { note: '' });
    if (r) showCart(r.cart);
  };

  const openHeld = async (): Promise<void> => {
    const r = await call('cart.listHeld', {});
    if (r) {
      setHeld(r.held);
      setDialog('held');
    }
  };

  const recall = async (heldId: string): Promise<void> => {
    const c = await call('cart.recall', { heldId });
    setDialog(null);
    if (c) showCart(c);
  };

  const voidSale = async (reason: string): Promise<void> => {
    const r = await call('sale.void', { reason });
    setDialog(null);
    if (r) showCart(r.cart);
  };

  const payable = !!cart && cart.totals.remaining > 0 && cart.totals.items > 0;

  const act = useCallback(
    (what: (typeof KEYS)[string]) => {
      if (what === 'cash' || what === 'card' || what === 'code') {
        if (payable) setDialog(what);
      } else if (what === 'qty') {
        if (selectedLine) setDialog('qty');
      } else if (what === 'voidLine') void voidLine();
      else if (what === 'hold') void hold();
      else if (what === 'recall') void openHeld();
      else if (what === 'void') {
        if (cart && cart.lines.length > 0) setDialog('void');
      } else if (what === 'shift') {
        if (cart && cart.lines.length === 0) setDialog('shift');
      } else setDialog(what);
    },
    [payable, selectedLine, cart, call],
  );

  const ownModal = dialog !== null || completed !== null || overrideAsk !== null;
  const modalOpen = ownModal || opsOpen || !shiftOpen;
  const wedge = useRef(new WedgeDetector());

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (modalOpen) return;
      const key = KEYS[e.key];
      if (key) {
        e.preventDefault();
        act(key);
        return;
      }
      if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
        const live = cart?.lines.filter((l) => !l.voided) ?? [];
        const i = live.findIndex((l) => l.lineNo === selected);
        const next = live[Math.max(0, Math.min(live.length - 1, i + (e.key === 'ArrowUp' ? -1 : 1)))];
        if (next) {
          e.preventDefault();
          setSelected(next.lineNo);
        }
        return;
      }
      if (e.target === scanRef.current) return;
      const v = wedge.current.feed(e.key, e.timeStamp);
      if (v.kind === 'scan') {
        e.preventDefault();
        void scan(v.code);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [modalOpen, act, cart, selected, scan]);

  useEffect(() => {
    if (!modalOpen) scanRef.current?.focus();
  }, [modalOpen, cart]);

  const totals = cart?.totals;
  const overrideDialog = overrideAsk ? (
    <OverrideDialog
      onClose={() => {
        overrideAsk(null);
        setOverrideAsk(null);
      }}
      onSubmit={(userCode, pin) => {
        overrideAsk({ userCode, pin });
        setOverrideAsk(null);
      }}
    />
  ) : null;
  if (shiftOpen === undefined) return <main className="login">{error ? <p className="error">{error}</p> : null}</main>;
  if (!shiftOpen) {
    return (
      <>
        <OpenShiftScreen busy={busy} error={error} onOpen={(f) => void openShift(f)} />
        <StoreOps caller={caller} cart={null} line={null} onCart={showCart} keysEnabled={!ownModal} onOpenChange={setOpsOpen} scanSink={opsScan} onSwitched={props.onSwitched} />
        {overrideDialog}
      </>
    );
  }
  return (
    <div className="sale">
      <section className="cart-pane">
        <form className="scan" onSubmit={(e) => void submitEntry(e)}>
          <input
            ref={scanRef}
            data-testid="scan"
            className="scan-input"
            autoComplete="off"
            placeholder={t('sale.scanPlaceholder')}
            value={entry}
            onChange={(e) => setEntry(e.target.value.slice(0, 64))}
          />
          <button type="submit" className="primary">
            {t('sale.add')}
          </button>
        </form>
        {error ? (
          <p className="error banner" role="alert" data-testid="sale-error" onClick={() => setError(null)}>
            {error}
          </p>
        ) : null}
        {results ? (
          <ul className="results" aria-label={t('sale.search')}>
            {results.length === 0 ? <li className="muted">{t('sale.noResults')}</li> : null}
            {results.map((p) => (
              <li key={p.sku}>
                <button type="button" onClick={() => void addProduct(p.sku)}>
                  <span>{p.name}</span>
                  <strong>{money(p.price)}</strong>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <ol className="lines" data-testid="lines">
          {cart && cart.lines.length === 0 ? <li className="empty">{t('sale.empty')}</li> : null}
          {cart?.lines.map((l) => (
            <li
              key={l.lineNo}
              className={['line', l.voided ? 'voided' : '', l.lineNo === selected && !l.voided ? 'selected' : ''].join(' ')}
              data-testid="line"
              onClick={() => !l.voided && setSelected(l.lineNo)}
            >
              <span className="line-name">
                {l.name}
                {l.voided ? <em> ({t('sale.voided')})</em> : null}
              </span>
              <span className="line-qty">
                {quantity(l.qty, l.weighed)} × {money(l.unitPrice)}
              </span>
              <span className="line-net" data-testid="line-net">
                {money(l.net)}
              </span>
              {l.savings > 0 ? <span className="line-saving">-{money(l.savings)}</span> : null}
            </li>
          ))}
        </ol>
        <div className="line-actions">
          <button type="button" disabled={!selectedLine || selectedLine.weighed || selectedLine.qty <= 1} onClick={() => selectedLine && void setQty(selectedLine.qty - 1)}>
            −
          </button>
          <button type="button" disabled={!selectedLine || selectedLine.weighed} onClick={() => selectedLine && void setQty(selectedLine.qty + 1)}>
            +
          </button>
          <button type="button" disabled={!selectedLine} onClick={() => act('qty')}>
            {t('sale.qty')} <kbd>F4</kbd>
          </button>
          <button type="button" className="danger" disabled={!selectedLine} onClick={() => act('voidLine')}>
            {t('sale.voidLine')} <kbd>F6</kbd>
          </button>
        </div>
        <StoreOps caller={caller} cart={cart} line={selectedLine} onCart={showCart} keysEnabled={!ownModal} onOpenChange={setOpsOpen} scanSink={opsScan} onSwitched={props.onSwitched} />
      </section>
      <aside className="side">
        {cart?.member ? (
          <p className="member">
            {t('sale.member')}: {cart.member.name} ({maskNumber(cart.member.code)})
          </p>
        ) : null}
        {totals ? (
          <dl className="totals">
            <dt>{t('sale.items')}</dt>
            <dd data-testid="items">{totals.items}</dd>
            <dt>{t('sale.gross')}</dt>
            <dd>{money(totals.gross)}</dd>
            {cart.savings.map((s) => (
              <SavingRow key={`${s.kind}-${s.ref}`} name={s.name} amount={s.amount} />
            ))}
            {totals.savings > 0 ? (
              <>
                <dt>{t('sale.savings')}</dt>
                <dd className="saving" data-testid="savings">
                  -{money(totals.savings)}
                </dd>
              </>
            ) : null}
            {totals.rounding !== 0 ? (
              <>
                <dt>{t('sale.rounding')}</dt>
                <dd>{money(totals.rounding)}</dd>
              </>
            ) : null}
            {totals.paid > 0 ? (
              <>
                <dt>{t('sale.paid')}</dt>
                <dd>{money(totals.paid)}</dd>
              </>
            ) : null}
          </dl>
        ) : null}
        <div className="grand">
          <span>{totals && totals.paid > 0 ? t('sale.remaining') : t('sale.total')}</span>
          <strong data-testid="total">{money(totals ? (totals.paid > 0 ? totals.remaining : totals.total) : 0)}</strong>
        </div>
        <div className="actions">
          <button type="button" className="pay" data-testid="pay-cash" disabled={!payable || busy} onClick={() => act('cash')}>
            {t('sale.cash')} <kbd>F1</kbd>
          </button>
          <button type="button" className="pay alt" disabled={!payable || busy} onClick={() => act('card')}>
            {t('sale.card')} <kbd>F2</kbd>
          </button>
          <button type="button" className="pay alt" disabled={!payable || busy} onClick={() => act('code')}>
            {t('sale.paymentCode')} <kbd>F3</kbd>
          </button>
          <button type="button" disabled={!cart || cart.totals.items === 0} onClick={() => act('hold')}>
            {t('sale.hold')} <kbd>F7</kbd>
          </button>
          <button type="button" onClick={() => act('recall')}>
            {t('sale.recall')} <kbd>F8</kbd>
          </button>
          <button type="button" className="danger" disabled={!cart || cart.lines.length === 0} onClick={() => act('void')}>
            {t('sale.voidSale')} <kbd>F9</kbd>
          </button>
          <button type="button" data-testid="close-shift-button" disabled={!cart || cart.lines.length > 0} onClick={() => act('shift')}>
            {t('sale.closeShift')} <kbd>F10</kbd>
          </button>
        </div>
      </aside>
      {dialog === 'cash' && cart ? (
        <CashDialog cart={cart} busy={busy} onClose={() => setDialog(null)} onPay={(tendered) => void call('tender.cash', { tendered }).then(finishTender)} />
      ) : null}
      {dialog === 'card' && cart ? (
        <CardDialog cart={cart} busy={busy} onClose={() => setDialog(null)} onPay={(amount, reference) => void call('tender.card', { amount, reference }).then(finishTender)} />
      ) : null}
      {dialog === 'code' && cart ? (
        <PaymentCodeDialog cart={cart} busy={busy} onClose={() => setDialog(null)} onPay={(code) => void call('tender.paymentCode', { code }).then(finishTender)} />
      ) : null}
      {dialog === 'qty' && selectedLine ? <QtyDialog line={selectedLine} onClose={() => setDialog(null)} onSubmit={(q) => void setQty(q)} /> : null}
      {dialog === 'held' ? <HeldDialog held={held} onClose={() => setDialog(null)} onRecall={(id) => void recall(id)} /> : null}
      {dialog === 'void' ? <VoidSaleDialog onClose={() => setDialog(null)} onVoid={(r) => void voidSale(r)} /> : null}
      {completed ? <CompletedDialog sale={completed} onClose={() => setCompleted(null)} /> : null}
      {dialog === 'shift' ? (
        <CloseShiftDialog
          busy={busy}
          result={closed}
          onClose={(c) => void closeShift(c)}
          onDone={() => {
            setDialog(null);
            if (closed) {
              setClosed(null);
              setCart(null);
              setShiftOpen(false);
            }
          }}
        />
      ) : null}
      {overrideDialog}
    </div>
  );
}

function SavingRow(props: { name: string; amount: number }) {
  return (
    <>
      <dt className="saving-name">{props.name}</dt>
      <dd className="saving">-{money(props.amount)}</dd>
    </>
  );
}
