/**
 * Returns with a receipt: find the sale (scan the receipt's barcode or QR,
 * type its number, or just the sequence digits, or pick a recent sale), pick
 * lines and quantities, see what goes back and how, confirm (a cashier gets
 * the supervisor dialog), then the refund receipt. The amounts shown are the
 * terminal's own quote (refund.quote, asked again shortly after each change
 * of the quantities), so the sum shown is the sum paid back; confirming waits
 * until the quote matches the quantities on screen.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../shared/contract';
import type { RefundQuote, RefundResult } from '../../shared/contract/refund';
import type { SaleSummary } from '../../shared/contract/sale';
import { receiptNumber } from '../../shared/journal';
import { DialogError } from '../components/AmountField';
import { Modal } from '../components/Modal';
import { ReceiptView } from '../components/ReceiptView';
import { money, quantity } from '../format';
import { NoReceiptReturn } from './NoReceiptReturn';
import type { Caller } from '../use-till';

type Lookup = MethodOutput<'refund.lookup'>;
type Line = Lookup['lines'][number];

/** how long the quantities must stay still before the terminal is asked for the amounts */
const QUOTE_DELAY_MS = 150;

export function RefundDialog(props: { call: Caller['call']; busy: boolean; error: string | null; scanned: { code: string; n: number } | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { call } = props;
  const [code, setCode] = useState('');
  const [recent, setRecent] = useState<SaleSummary[]>([]);
  const [sale, setSale] = useState<Lookup | null>(null);
  const [picked, setPicked] = useState<Record<number, number>>({});
  const [reason, setReason] = useState('');
  const [cardRef, setCardRef] = useState('');
  const [policy, setPolicy] = useState<MethodOutput<'settings.operations'>['refundTo'] | null>(null);
  const [ids, setIds] = useState<Pick<MethodOutput<'system.status'>, 'store' | 'terminal'> | null>(null);
  const [done, setDone] = useState<RefundResult | null>(null);
  const [noReceipt, setNoReceipt] = useState(false);
  const reasons = t('refund.reasons', { returnObjects: true }) as string[];

  useEffect(() => {
    void call('sale.recent', { limit: 6 }).then((r) => r && setRecent(r.sales));
    void call('settings.operations', {}).then((r) => r && setPolicy(r.refundTo));
    void call('system.status', {}).then((r) => r && setIds({ store: r.store, terminal: r.terminal }));
  }, [call]);

  const lookup = useCallback(
    async (raw: string) => {
      const text = raw.trim();
      if (!text) return;
      const full = /^\d{1,8}$/.test(text) && ids ? receiptNumber(ids.store, ids.terminal, Number(text)) : text;
      const r = await call('refund.lookup', { code: full });
      if (r) {
        setSale(r);
        setPicked({});
        setCode('');
      }
    },
    [call, ids],
  );

  const handled = useRef(0);
  const { scanned } = props;
  useEffect(() => {
    if (!scanned || scanned.n === handled.current) return;
    handled.current = scanned.n;
    // while returning without a receipt the scans are items (NoReceiptReturn takes them)
    if (!done && !noReceipt) void lookup(scanned.code);
  }, [scanned, lookup, done, noReceipt]);

  const left = (l: Line): number => l.qty - l.returnedQty;
  const set = (l: Line, q: number): void => setPicked((p) => ({ ...p, [l.lineNo]: Math.max(0, Math.min(left(l), q)) }));
  const chosen = sale ? sale.lines.filter((l) => (picked[l.lineNo] ?? 0) > 0) : [];
  const wanted = chosen.map((l) => ({ lineNo: l.lineNo, qty: picked[l.lineNo] ?? 0 }));
  const wantedKey = sale ? `${sale.receiptNo}|${JSON.stringify(wanted)}` : '';

  const [quote, setQuote] = useState<{ key: string; value: RefundQuote } | null>(null);
  useEffect(() => {
    if (!sale || wanted.length === 0) return;
    let stale = false;
    const timer = setTimeout(() => {
      void call('refund.quote', { code: sale.receiptNo, lines: wanted }).then((r) => {
        if (r && !stale) setQuote({ key: wantedKey, value: r });
      });
    }, QUOTE_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
    // wantedKey stands for sale and wanted (wanted is a new array on every render)
  }, [call, wantedKey]);
  const quoted = wanted.length === 0 ? { lines: [], amount: 0, tenders: [] } : quote?.key === wantedKey ? quote.value : null;
  const lineAmount = (lineNo: number): number | null => quoted?.lines.find((x) => x.lineNo === lineNo)?.amount ?? null;
  const shownAmount = quoted?.amount ?? quote?.value.amount ?? 0;

  const confirm = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!sale || chosen.length === 0 || !quoted || !reason.trim()) return;
    const r = await call('refund.receipt', {
      code: sale.receiptNo,
      lines: chosen.map((l) => ({ lineNo: l.lineNo, qty: picked[l.lineNo] ?? 0 })),
      reason: reason.trim(),
      ...(cardRef.length >= 4 ? { cardReference: cardRef } : {}),
    });
    if (r) setDone(r);
  };

  if (done) {
    return (
      <Modal title={t('refund.doneTitle')} onClose={props.onClose} wide testId="refund-done">
        <div className="completed">
          <div className="change-big">
            <span>{t('refund.paidBack')}</span>
            <strong data-testid="refund-amount">{money(done.amount)}</strong>
            <ul className="plain" data-testid="refund-tenders">
              {done.tenders.map((x, i) => (
                <li key={i}>
                  {t(`refund.tender.${x.kind}`)} {money(x.amount)}
                  {x.reference ? ` · ${x.reference}` : ''}
                </li>
              ))}
            </ul>
            <small>
              {t('refund.refundNo')} <span data-testid="refund-no">{done.refundNo}</span>
            </small>
            <button type="button" className="primary big" autoFocus data-testid="refund-close" onClick={props.onClose}>
              {t('refund.finish')}
            </button>
          </div>
          <ReceiptView doc={done.receipt} />
        </div>
      </Modal>
    );
  }

  if (noReceipt) {
    return (
      <Modal title={t('refund.noReceiptTitle')} onClose={props.onClose} wide testId="no-receipt-dialog">
        <NoReceiptReturn call={call} busy={props.busy} error={props.error} scanned={scanned} onDone={setDone} onBack={() => setNoReceipt(false)} />
      </Modal>
    );
  }

  if (!sale) {
    return (
      <Modal title={t('refund.title')} onClose={props.onClose} wide testId="refund-dialog">
        <form
          className="tender"
          onSubmit={(e) => {
            e.preventDefault();
            void lookup(code);
          }}
        >
          <DialogError error={props.error} />
          <p className="dialog-sub">{t('refund.findHint')}</p>
          <div className="scan">
            <input data-testid="refund-code" className="scan-input" autoFocus autoComplete="off" value={code} placeholder={t('refund.codePlaceholder')} onChange={(e) => setCode(e.target.value.slice(0, 128))} />
            <button type="submit" className="primary" data-testid="refund-find" disabled={!code.trim() || props.busy}>
              {t('refund.find')}
            </button>
          </div>
          <button type="button" className="big" data-testid="no-receipt" onClick={() => setNoReceipt(true)}>
            {t('refund.noReceiptTitle')}
          </button>
          {recent.length > 0 ? <h3 className="section">{t('refund.recent')}</h3> : null}
          <ul className="held-list">
            {recent.map((s) => (
              <li key={s.saleId}>
                <button type="button" className="held-item" data-testid="recent-sale" onClick={() => void lookup(s.receiptNo)}>
                  <span>{new Date(s.at).toLocaleTimeString(i18n.language)}</span>
                  <span>{s.receiptNo}</span>
                  <span>× {s.items}</span>
                  <strong>{money(s.total)}</strong>
                </button>
              </li>
            ))}
          </ul>
        </form>
      </Modal>
    );
  }

  return (
    <Modal title={`${t('refund.title')} · ${sale.receiptNo}`} onClose={props.onClose} wide testId="refund-dialog">
      <form className="tender" onSubmit={(e) => void confirm(e)}>
        <DialogError error={props.error} />
        <p className="dialog-sub">
          {new Date(sale.at).toLocaleString(i18n.language)} · {t('status.cashier')} {sale.cashier} · {t('sale.total')} {money(sale.total)}
          {sale.refunded > 0 ? ` · ${t('refund.already')} ${money(sale.refunded)}` : ''}
        </p>
        <ul className="refund-lines">
          {sale.lines.map((l) => {
            const q = picked[l.lineNo] ?? 0;
            const none = left(l) === 0;
            return (
              <li key={l.lineNo} className={none ? 'refund-line done' : q > 0 ? 'refund-line on' : 'refund-line'} data-testid="refund-line">
                <span className="refund-name">
                  {l.name}
                  <small className="muted">
                    {' '}
                    {quantity(l.qty, l.weighed)} · {money(l.paid)}
                    {l.returnedQty > 0 ? ` · ${t('refund.returned')} ${quantity(l.returnedQty, l.weighed)}` : ''}
                  </small>
                </span>
                {none ? (
                  <span className="muted">{t('refund.allReturned')}</span>
                ) : l.weighed ? (
                  <button type="button" className={q > 0 ? 'on' : ''} data-testid={`refund-whole-${l.lineNo}`} onClick={() => set(l, q > 0 ? 0 : left(l))}>
                    {q > 0 ? '✓ ' : ''}
                    {t('refund.whole')}
                  </button>
                ) : (
                  <span className="stepper">
                    <button type="button" aria-label="-" data-testid={`refund-minus-${l.lineNo}`} disabled={q === 0} onClick={() => set(l, q - 1)}>
                      −
                    </button>
                    <strong data-testid={`refund-qty-${l.lineNo}`}>
                      {q} / {left(l)}
                    </strong>
                    <button type="button" aria-label="+" data-testid={`refund-plus-${l.lineNo}`} disabled={q >= left(l)} onClick={() => set(l, q + 1)}>
                      +
                    </button>
                  </span>
                )}
                <span className="refund-amount">{q > 0 && quoted ? money(lineAmount(l.lineNo) ?? 0) : ''}</span>
              </li>
            );
          })}
        </ul>
        <div className="chips">
          {reasons.map((r) => (
            <button type="button" key={r} data-testid="refund-reason" className={reason === r ? 'chip on' : 'chip'} onClick={() => setReason(r)}>
              {r}
            </button>
          ))}
        </div>
        <div className="two-col">
          <label className="field">
            <span>{t('refund.reason')}</span>
            <input data-testid="refund-reason-input" autoComplete="off" value={reason} maxLength={80} onChange={(e) => setReason(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('refund.cardRef')}</span>
            <input data-testid="refund-card-ref" autoComplete="off" value={cardRef} maxLength={40} onChange={(e) => setCardRef(e.target.value.replace(/[^0-9A-Za-z-]/g, ''))} />
          </label>
        </div>
        <div className="due">
          <span>
            {t('refund.amount')}
            {policy ? <small className="muted"> · {t(`refund.policy.${policy}`)}</small> : null}
          </span>
          <strong data-testid="refund-total" aria-busy={!quoted} className={quoted ? '' : 'muted'}>
            {money(shownAmount)}
          </strong>
        </div>
        {quoted && quoted.tenders.length > 0 ? (
          <p className="dialog-sub" data-testid="refund-quote-tenders">
            {quoted.tenders.map((x) => `${t(`refund.tender.${x.kind}`)} ${money(x.amount)}`).join(' · ')}
          </p>
        ) : null}
        <div className="row-buttons">
          <button type="button" className="big" onClick={() => setSale(null)}>
            {t('refund.other')}
          </button>
          <button type="submit" className="primary big" data-testid="refund-confirm" disabled={chosen.length === 0 || !quoted || !reason.trim() || props.busy}>
            {t('refund.confirm')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
