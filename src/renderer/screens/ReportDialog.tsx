/**
 * The X report (the business day so far, changes nothing) and the Z report
 * (日结: closes the day once, across its shifts). Z asks for a confirmation
 * first; a second Z of the same day is refused by the terminal and the
 * refusal is shown in place of the figures.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Report } from '../../shared/contract/report';
import { DialogError } from '../components/AmountField';
import { Modal } from '../components/Modal';
import { money } from '../format';
import type { Caller } from '../use-till';

const signedMoney = (n: number): string => (n < 0 ? `-${money(-n)}` : money(n));

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
          <h3 className="section">{t('report.byTender')}</h3>
          <table className="table">
            <thead>
              <tr>
                <th />
                <th>{t('report.sales')}</th>
                <th>{t('report.refunds')}</th>
                <th>{t('report.netShort')}</th>
              </tr>
            </thead>
            <tbody>
              {r.byTender.map((x) => (
                <tr key={`${x.kind}-${x.provider ?? ''}`} data-testid={`report-tender-${x.provider ?? x.kind}`}>
                  <th>{tender(x)}</th>
                  <td>{money(x.sales)}</td>
                  <td>{money(x.refunds)}</td>
                  <td>{signedMoney(x.net)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3 className="section">{t('report.byTax')}</h3>
          <table className="table">
            <thead>
              <tr>
                <th />
                <th>{t('report.net')}</th>
                <th>{t('report.tax')}</th>
                <th>{t('report.refundTax')}</th>
              </tr>
            </thead>
            <tbody>
              {r.byTaxRate.map((x) => (
                <tr key={x.vatRate} data-testid={`report-tax-${x.vatRate}`}>
                  <th>{x.vatRate / 100}%</th>
                  <td>{money(x.salesNet)}</td>
                  <td>{money(x.salesTax)}</td>
                  <td>{money(x.refundsTax)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3 className="section">{t('report.byCategory')}</h3>
          <table className="table">
            <thead>
              <tr>
                <th />
                <th>{t('report.sales')}</th>
                <th>{t('report.refunds')}</th>
                <th>{t('report.netShort')}</th>
              </tr>
            </thead>
            <tbody>
              {r.byCategory.map((x) => (
                <tr key={x.category} data-testid="report-category">
                  <th>{x.category}</th>
                  <td>{money(x.sales)}</td>
                  <td>{money(x.refunds)}</td>
                  <td>{signedMoney(x.net)}</td>
                </tr>
              ))}
            </tbody>
          </table>
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
  const [date, setDate] = useState('');
  const input = /^\d{4}-\d\d-\d\d$/.test(date) ? { date } : {};

  const run = async (kind: 'x' | 'z'): Promise<void> => {
    setConfirmZ(false);
    setReport(null);
    const r = await props.call(kind === 'x' ? 'report.x' : 'report.z', input);
    if (r) setReport(r);
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
        {report ? <Figures r={report} /> : null}
      </div>
    </Modal>
  );
}
