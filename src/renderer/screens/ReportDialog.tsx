/**
 * The X report (the business day so far, changes nothing) and the Z report
 * (日结: closes the day once, across its shifts). Z asks for a confirmation
 * first; a second Z of the same day is refused by the terminal and the
 * refusal is shown in place of the figures. A shown report can be printed
 * on the receipt printer (report.print).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Report } from '../../shared/contract/report';
import { DialogError } from '../components/AmountField';
import { Modal } from '../components/Modal';
import { money } from '../format';
import type { Caller } from '../use-till';

const signedMoney = (n: number): string => (n < 0 ? `-${money(-n)}` : money(n));

interface BreakdownRow {
  key: string;
  testId: string;
  label: string;
  cells: readonly string[];
}

/** one titled table of the report: a label per row and the same columns for each */
function Breakdown(props: { title: string; columns: readonly string[]; rows: readonly BreakdownRow[] }) {
  return (
    <>
      <h3 className="section">{props.title}</h3>
      <table className="table">
        <thead>
          <tr>
            <th />
            {props.columns.map((c, i) => (
              <th key={i}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.key} data-testid={row.testId}>
              <th>{row.label}</th>
              {row.cells.map((c, i) => (
                <td key={i}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Figures(props: { r: Report }) {
  const { t, i18n } = useTranslation();
  const r = props.r;
  const tender = (x: Report['byTender'][number]): string => (x.provider ? t(`report.provider.${x.provider}`) : t(`refund.tender.${x.kind}`));
  return (
    <div className="report" data-testid={`report-figures-${r.kind}`}>
      <p className="dialog-sub">
        {r.kind === 'z' ? t('report.zTitle') : t('report.xTitle')} · {r.businessDay} · {r.store}/{r.terminal} · {new Date(r.generatedAt).toLocaleString(i18n.language)}
        {r.closedBy ? ` · ${t('report.closedBy')} ${r.closedBy}` : ''}
      </p>
      <div className="report-grid">
        <section>
          <h3 className="section">{t('report.summary')}</h3>
          <dl className="totals">
            <dt>{t('report.gross')}</dt>
            <dd>{money(r.sales.gross)}</dd>
            <dt>{t('sale.savings')}</dt>
            <dd>-{money(r.sales.savings)}</dd>
            <dt>{t('sale.rounding')}</dt>
            <dd>{signedMoney(r.sales.rounding)}</dd>
            <dt>{t('report.salesTotal')}</dt>
            <dd data-testid="report-sales-total">{money(r.sales.total)}</dd>
            <dt>{t('report.refunds')}</dt>
            <dd data-testid="report-refunds">-{money(r.refunds)}</dd>
            <dt>{t('report.paidIn')}</dt>
            <dd data-testid="report-paid-in">{money(r.paidIn)}</dd>
            <dt>{t('report.paidOut')}</dt>
            <dd data-testid="report-paid-out">-{money(r.paidOut)}</dd>
            <dt>{t('report.voided')}</dt>
            <dd>{money(r.voidedTotal)}</dd>
            <dt className="strong">{t('report.net')}</dt>
            <dd className="strong" data-testid="report-net">
              {signedMoney(r.net)}
            </dd>
          </dl>
          <h3 className="section">{t('report.counts')}</h3>
          <dl className="totals counts">
            {(['sales', 'voids', 'refunds', 'noSales', 'overrides', 'drawerOpenings'] as const).map((k) => (
              <div key={k} className="count-cell">
                <dt>{t(`report.count.${k}`)}</dt>
                <dd data-testid={`report-count-${k}`}>{r.counts[k]}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section>
          <Breakdown
            title={t('report.byTender')}
            columns={[t('report.sales'), t('report.refunds'), t('report.netShort')]}
            rows={r.byTender.map((x) => ({ key: `${x.kind}-${x.provider ?? ''}`, testId: `report-tender-${x.provider ?? x.kind}`, label: tender(x), cells: [money(x.sales), money(x.refunds), signedMoney(x.net)] }))}
          />
          <Breakdown
            title={t('report.byTax')}
            columns={[t('report.net'), t('report.tax'), t('report.refundTax')]}
            rows={r.byTaxRate.map((x) => ({ key: String(x.vatRate), testId: `report-tax-${x.vatRate}`, label: `${x.vatRate / 100}%`, cells: [money(x.salesNet), money(x.salesTax), money(x.refundsTax)] }))}
          />
          <Breakdown
            title={t('report.byCategory')}
            columns={[t('report.sales'), t('report.refunds'), t('report.netShort')]}
            rows={r.byCategory.map((x) => ({ key: x.category, testId: 'report-category', label: x.category, cells: [money(x.sales), money(x.refunds), signedMoney(x.net)] }))}
          />
        </section>
      </div>
      <h3 className="section">{t('report.shifts')}</h3>
      <table className="table">
        <thead>
          <tr>
            <th>{t('report.opened')}</th>
            <th>{t('report.closed')}</th>
            <th>{t('report.float')}</th>
            <th>{t('shift.expected')}</th>
            <th>{t('shift.counted')}</th>
            <th>{t('shift.variance')}</th>
          </tr>
        </thead>
        <tbody>
          {r.shifts.map((s) => (
            <tr key={s.shiftId} data-testid="report-shift">
              <td>
                {new Date(s.openedAt).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' })} {s.openedBy}
              </td>
              <td>{s.closedAt ? `${new Date(s.closedAt).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' })} ${s.closedBy ?? ''}` : t('report.open')}</td>
              <td>{money(s.float)}</td>
              <td>{signedMoney(s.expected)}</td>
              <td>{s.counted === null ? '—' : money(s.counted)}</td>
              <td className={s.variance !== null && s.variance < 0 ? 'bad' : ''} data-testid="report-variance">
                {s.variance === null ? '—' : signedMoney(s.variance)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ReportDialog(props: { call: Caller['call']; busy: boolean; error: string | null; setError: (m: string | null) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [report, setReport] = useState<Report | null>(null);
  const [confirmZ, setConfirmZ] = useState(false);
  const [printed, setPrinted] = useState(false);
  const [date, setDate] = useState('');
  const input = /^\d{4}-\d\d-\d\d$/.test(date) ? { date } : {};

  const run = async (kind: 'x' | 'z'): Promise<void> => {
    setConfirmZ(false);
    setReport(null);
    setPrinted(false);
    const r = await props.call(kind === 'x' ? 'report.x' : 'report.z', input);
    if (r) setReport(r);
  };

  /** an X prints as of now (the figures on screen follow what was printed); a Z prints a copy of the one the day closed with */
  const print = async (shown: Report): Promise<void> => {
    const r = await props.call('report.print', { kind: shown.kind, date: shown.businessDay });
    if (r) {
      setReport(r);
      setPrinted(true);
    }
  };

  return (
    <Modal title={t('report.title')} onClose={props.onClose} wide testId="report-dialog">
      <div className="tender">
        <div className="report-bar">
          <label className="field inline">
            <span>{t('report.day')}</span>
            <input data-testid="report-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          </label>
          <button type="button" className="primary" data-testid="report-x" disabled={props.busy} onClick={() => void run('x')}>
            {t('report.runX')}
          </button>
          <button
            type="button"
            className="danger"
            data-testid="report-z"
            disabled={props.busy}
            onClick={() => {
              props.setError(null);
              setReport(null);
              setPrinted(false);
              setConfirmZ(true);
            }}
          >
            {t('report.runZ')}
          </button>
        </div>
        {confirmZ ? (
          <div className="confirm" data-testid="z-confirm-box">
            <p>{t('report.zConfirm', { day: date || t('report.today') })}</p>
            <div className="row-buttons">
              <button type="button" className="big" onClick={() => setConfirmZ(false)}>
                {t('tender.cancel')}
              </button>
              <button type="button" className="danger big" data-testid="z-confirm" disabled={props.busy} onClick={() => void run('z')}>
                {t('report.zDo')}
              </button>
            </div>
          </div>
        ) : null}
        <DialogError error={props.error} />
        {report ? (
          <>
            <div className="row-buttons">
              <button type="button" className="big" data-testid="report-print" disabled={props.busy} onClick={() => void print(report)}>
                {t('report.print')}
              </button>
              {printed ? (
                <span className="muted" data-testid="report-printed">
                  {t('report.printed')}
                </span>
              ) : null}
            </div>
            <Figures r={report} />
          </>
        ) : null}
      </div>
    </Modal>
  );
}
