/**
 * Shifts: the float counted into the drawer to open one, and the blind count
 * to close it (the expected cash is shown only after the count is submitted).
 * Both count notes and coins by denomination; the total is integer fen.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DENOMINATIONS, type Count, type ShiftClose } from '../../shared/contract/shift';
import { formatMinor } from '../../shared/money';
import { Modal } from '../components/Modal';
import { money } from '../format';

const countTotal = (counts: Record<number, number>): number => DENOMINATIONS.reduce((sum, d) => sum + d * (counts[d] ?? 0), 0);

const toCount = (counts: Record<number, number>): Count => DENOMINATIONS.filter((d) => (counts[d] ?? 0) > 0).map((d) => ({ value: d, count: counts[d] ?? 0 }));

function CashCount(props: { submitLabel: string; busy: boolean; onSubmit: (count: Count) => void }) {
  const { t } = useTranslation();
  const [counts, setCounts] = useState<Record<number, number>>({});
  const set = (d: number, n: number): void => setCounts((c) => ({ ...c, [d]: Math.max(0, Math.min(99_999, n)) }));
  return (
    <form
      className="count"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(toCount(counts));
      }}
    >
      <div className="count-grid">
        {DENOMINATIONS.map((d) => (
          <label key={d} className="count-row">
            <span className="denom">¥{formatMinor(d).replace(/\.00$/, '')}</span>
            <button type="button" aria-label="-" onClick={() => set(d, (counts[d] ?? 0) - 1)}>
              −
            </button>
            <input
              data-testid={`count-${d}`}
              inputMode="numeric"
              value={counts[d] ? String(counts[d]) : ''}
              placeholder="0"
              onChange={(e) => set(d, Number.parseInt(e.target.value.replace(/\D/g, '') || '0', 10))}
            />
            <button type="button" aria-label="+" onClick={() => set(d, (counts[d] ?? 0) + 1)}>
              +
            </button>
          </label>
        ))}
      </div>
      <div className="due">
        <span>{t('shift.counted')}</span>
        <strong data-testid="count-total">{money(countTotal(counts))}</strong>
      </div>
      <button type="submit" className="primary big" data-testid="count-submit" disabled={props.busy}>
        {props.submitLabel}
      </button>
    </form>
  );
}

export function OpenShiftScreen(props: { busy: boolean; error: string | null; onOpen: (float: Count) => void }) {
  const { t } = useTranslation();
  return (
    <main className="login">
      <div className="login-card wide-card" data-testid="open-shift">
        <h1>{t('shift.openTitle')}</h1>
        <p className="dialog-sub">{t('shift.openHint')}</p>
        {props.error ? (
          <p className="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <CashCount submitLabel={t('shift.open')} busy={props.busy} onSubmit={props.onOpen} />
      </div>
    </main>
  );
}

export function CloseShiftDialog(props: { busy: boolean; result: ShiftClose | null; onClose: (counted: Count) => void; onDone: () => void }) {
  const { t } = useTranslation();
  const r = props.result;
  return (
    <Modal title={t('shift.closeTitle')} onClose={props.onDone} testId="close-shift">
      {r ? (
        <div className="tender">
          <dl className="totals">
            <dt>{t('shift.counted')}</dt>
            <dd>{money(r.counted)}</dd>
            <dt>{t('shift.expected')}</dt>
            <dd>{money(r.expected)}</dd>
            <dt>{t('shift.variance')}</dt>
            <dd className={r.variance < 0 ? 'saving' : ''} data-testid="variance">
              {money(r.variance)}
            </dd>
          </dl>
          <button type="button" className="primary big" autoFocus onClick={props.onDone}>
            {t('qty.submit')}
          </button>
        </div>
      ) : (
        <>
          <p className="dialog-sub">{t('shift.closeHint')}</p>
          <CashCount submitLabel={t('shift.close')} busy={props.busy} onSubmit={props.onClose} />
        </>
      )}
    </Modal>
  );
}
