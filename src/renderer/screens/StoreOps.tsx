/**
 * The store operations reachable from the sale screen: a row of buttons
 * under the cart (discount F5, price, member F11, return, more F12) and the
 * "more" menu (paid-in, paid-out, no-sale, switch cashier, X/Z reports,
 * users). Without an open shift only the menu items that need no cart are
 * offered. Each dialog calls through the sale screen's caller, so a refusal
 * that needs a supervisor opens the same override dialog and retries.
 */
import { useCallback, useEffect, useLayoutEffect, useState, type MutableRefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserView } from '../../shared/contract/auth';
import type { CartLine, CartView, Discount } from '../../shared/contract/cart';
import { money } from '../format';
import type { Caller } from '../use-till';
import { Modal } from '../components/Modal';
import { DiscountDialog, MemberDialog, PriceDialog } from './DiscountDialogs';
import { CashMovementDialog, NoSaleDialog, SwitchUserDialog } from './DrawerDialogs';
import { RefundDialog } from './RefundDialog';
import { ReportDialog } from './ReportDialog';
import { UsersDialog } from './UsersDialog';
import '../store-ops.css';

type OpsDialog = 'menu' | 'discount' | 'price' | 'member' | 'refund' | 'paid-in' | 'paid-out' | 'no-sale' | 'switch' | 'report' | 'users';

const KEYS: Record<string, OpsDialog> = { F5: 'discount', F11: 'member', F12: 'menu' };
const SALE_ONLY: ReadonlySet<OpsDialog> = new Set(['discount', 'price', 'member']);

export interface StoreOpsProps {
  caller: Caller;
  /** null without an open shift */
  cart: CartView | null;
  line: CartLine | null;
  onCart: (c: CartView) => void;
  /** false while another dialog of the sale screen is open */
  keysEnabled: boolean;
  onOpenChange: (open: boolean) => void;
  /** the sale screen hands hardware scans here while a dialog of ours is open */
  scanSink: MutableRefObject<((code: string) => void) | null>;
  onSwitched: (token: string, user: UserView) => void;
}

export function StoreOps(props: StoreOpsProps) {
  const { t } = useTranslation();
  const { caller, cart, line, onCart, keysEnabled, onOpenChange, scanSink, onSwitched } = props;
  const { call, busy, error, setError } = caller;
  const [dialog, setDialog] = useState<OpsDialog | null>(null);
  const [user, setUser] = useState<UserView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [scanned, setScanned] = useState<{ code: string; n: number } | null>(null);

  useEffect(() => {
    void call('auth.whoami', {}).then((u) => u && setUser(u));
  }, [call]);

  // before paint, so a key pressed right after a dialog closes reaches the sale screen
  useLayoutEffect(() => onOpenChange(dialog !== null), [dialog, onOpenChange]);

  const open = useCallback(
    (d: OpsDialog) => {
      if (SALE_ONLY.has(d) && (!cart || cart.totals.items === 0)) return;
      if (d === 'price' && !line) return;
      setError(null);
      setNotice(null);
      setScanned(null);
      setDialog(d);
    },
    [cart, line, setError],
  );
  const close = useCallback(() => {
    setError(null);
    setDialog(null);
  }, [setError]);

  useEffect(() => {
    if (dialog === 'refund' || dialog === 'member') {
      scanSink.current = (code) => setScanned((s) => ({ code, n: (s?.n ?? 0) + 1 }));
      return () => {
        scanSink.current = null;
      };
    }
    return undefined;
  }, [dialog, scanSink]);

  useEffect(() => {
    if (!keysEnabled || dialog !== null) return;
    const onKey = (e: KeyboardEvent): void => {
      const d = KEYS[e.key];
      if (!d) return;
      e.preventDefault();
      open(d);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keysEnabled, dialog, open]);

  const applyCart = (c: CartView | null): void => {
    if (!c) return;
    onCart(c);
    close();
  };
  const discount = async (target: 'line' | 'cart', d: Discount | null): Promise<void> => {
    if (target === 'line' && line) applyCart(await call('cart.discountLine', { lineNo: line.lineNo, discount: d }));
    else if (target === 'cart') applyCart(await call('cart.discountCart', { discount: d }));
  };
  const movement = async (kind: 'in' | 'out', amount: number, reason: string): Promise<void> => {
    if (await call(kind === 'in' ? 'shift.paidIn' : 'shift.paidOut', { amount, reason })) {
      close();
      setNotice(t(kind === 'in' ? 'drawer.paidInDone' : 'drawer.paidOutDone', { amount: money(amount), reason }));
    }
  };
  const noSale = async (reason: string): Promise<void> => {
    if (await call('drawer.open', { reason })) {
      close();
      setNotice(t('drawer.opened'));
    }
  };
  const switchUser = async (userCode: string, pin: string): Promise<void> => {
    const r = await call('auth.switchUser', { userCode, pin });
    if (r) {
      close();
      onSwitched(r.sessionToken, r.user);
    }
  };

  const manager = user?.role === 'manager' || user?.role === 'admin';
  const selling = cart !== null;
  const empty = !cart || cart.totals.items === 0;
  const item = (d: OpsDialog, label: string, enabled = true) => (
    <button type="button" key={d} className="menu-item" data-testid={`menu-${d}`} disabled={!enabled} onClick={() => open(d)}>
      {label}
    </button>
  );

  return (
    <>
      <div className={selling ? 'ops-bar' : 'ops-bar standalone'} data-testid="ops-bar">
        {selling ? (
          <>
            <button type="button" data-testid="ops-discount" disabled={empty} onClick={() => open('discount')}>
              {t('ops.discount')} <kbd>F5</kbd>
            </button>
            <button type="button" data-testid="ops-price" disabled={!line} onClick={() => open('price')}>
              {t('ops.price')}
            </button>
            <button type="button" data-testid="ops-member" disabled={empty} onClick={() => open('member')}>
              {t('ops.member')} <kbd>F11</kbd>
            </button>
            <button type="button" data-testid="ops-refund" disabled={!empty} onClick={() => open('refund')}>
              {t('ops.refund')}
            </button>
          </>
        ) : null}
        <button type="button" data-testid="ops-menu" onClick={() => open('menu')}>
          {t('ops.more')} <kbd>F12</kbd>
        </button>
        {notice ? (
          <span className="notice" role="status" data-testid="ops-notice">
            {notice}
          </span>
        ) : null}
      </div>
      {dialog === 'menu' ? (
        <Modal title={t('ops.menuTitle')} onClose={close} testId="ops-menu-dialog">
          <div className="menu-grid">
            {selling ? item('refund', t('ops.refund'), empty) : null}
            {selling ? item('paid-in', t('drawer.paidIn')) : null}
            {selling ? item('paid-out', t('drawer.paidOut')) : null}
            {selling ? item('no-sale', t('drawer.noSale'), empty) : null}
            {item('switch', t('switch.title'), empty)}
            {item('report', t('report.title'))}
            {manager ? item('users', t('users.title')) : null}
          </div>
        </Modal>
      ) : null}
      {dialog === 'discount' && cart ? <DiscountDialog cart={cart} line={line} busy={busy} error={error} onApply={(tg, d) => void discount(tg, d)} onClose={close} /> : null}
      {dialog === 'price' && line ? (
        <PriceDialog line={line} busy={busy} error={error} onSet={(p) => void call('cart.overridePrice', { lineNo: line.lineNo, unitPrice: p }).then(applyCart)} onClose={close} />
      ) : null}
      {dialog === 'member' && cart ? (
        <MemberDialog cart={cart} busy={busy} error={error} scanned={scanned} onSet={(m) => void call('cart.setMember', { memberCode: m }).then(applyCart)} onClose={close} />
      ) : null}
      {dialog === 'refund' ? <RefundDialog call={call} busy={busy} error={error} scanned={scanned} onClose={close} /> : null}
      {dialog === 'paid-in' || dialog === 'paid-out' ? (
        <CashMovementDialog kind={dialog === 'paid-in' ? 'in' : 'out'} busy={busy} error={error} onSubmit={(a, r) => void movement(dialog === 'paid-in' ? 'in' : 'out', a, r)} onClose={close} />
      ) : null}
      {dialog === 'no-sale' ? <NoSaleDialog busy={busy} error={error} onOpen={(r) => void noSale(r)} onClose={close} /> : null}
      {dialog === 'switch' ? <SwitchUserDialog busy={busy} error={error} onSwitch={(c, p) => void switchUser(c, p)} onClose={close} /> : null}
      {dialog === 'report' ? <ReportDialog call={call} busy={busy} error={error} setError={setError} onClose={close} /> : null}
      {dialog === 'users' && user ? <UsersDialog call={call} busy={busy} error={error} role={user.role} onClose={close} /> : null}
    </>
  );
}
