/**
 * The cashier UI's strings: Simplified Chinese by default, English second.
 * Every error code of src/shared/errors.ts has a sentence a cashier can act
 * on; the terminal's own message is shown under it for detail.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { ErrorCode } from '../shared/errors';

/** a code without a sentence here shows the terminal's own message */
type ErrorTexts = Partial<Record<ErrorCode, string>>;

const zhErrors: ErrorTexts = {
  'bad-input': '输入有误',
  'not-found': '未找到',
  forbidden: '没有权限执行此操作',
  unauthenticated: '请先登录',
  'override-required': '需要主管授权',
  'locked-out': '尝试次数过多，请稍后再试',
  conflict: '当前状态下不能这样操作',
  'unknown-method': '此终端不支持该操作',
  'unknown-barcode': '未找到该条码的商品',
  'bad-barcode': '条码无效，请重新扫描',
  'insufficient-tender': '付款金额不足',
  'payment-declined': '支付被拒绝',
  'payment-timeout': '支付超时，请确认顾客是否已付款',
  offline: '与终端的连接已断开',
  'ledger-busy': '账本忙，请稍候重试',
  'ledger-corrupt': '账本损坏，请联系IT支持',
  'ledger-newer': '账本版本较新，请升级软件',
  'ledger-migration-changed': '账本迁移文件被修改，请联系IT支持',
  'ledger-not-found': '找不到账本数据',
  'ledger-io': '账本读写失败（磁盘已满或只读？）',
  'ledger-diverged': '账本与总部不一致，请联系IT支持',
  'device-error': '设备故障',
  'config-invalid': '配置错误',
  'sync-refused': '总部拒绝了同步',
  'sync-timeout': '同步超时',
  'not-enrolled': '终端尚未注册到总部',
  internal: '系统内部错误',
};

const enErrors: ErrorTexts = {
  'bad-input': 'Invalid input',
  'not-found': 'Not found',
  forbidden: 'You may not do this',
  unauthenticated: 'Please sign in',
  'override-required': 'A supervisor must approve this',
  'locked-out': 'Too many attempts: try again later',
  conflict: 'Not possible right now',
  'unknown-method': 'This terminal does not support that',
  'unknown-barcode': 'No product with this barcode',
  'bad-barcode': 'Invalid barcode: scan again',
  'insufficient-tender': 'Not enough paid',
  'payment-declined': 'Payment declined',
  'payment-timeout': 'Payment timed out: check whether the customer paid',
  offline: 'Lost the connection to the terminal',
  'ledger-busy': 'The ledger is busy: try again',
  'ledger-corrupt': 'The ledger is damaged: call IT support',
  'ledger-newer': 'The ledger is from a newer version: update Till',
  'ledger-migration-changed': 'A ledger migration was changed: call IT support',
  'ledger-not-found': 'No ledger data found',
  'ledger-io': 'Cannot write the ledger (disk full or read-only?)',
  'ledger-diverged': 'The ledger disagrees with the hub: call IT support',
  'device-error': 'Device failure',
  'config-invalid': 'Configuration error',
  'sync-refused': 'The hub refused the sync',
  'sync-timeout': 'The sync timed out',
  'not-enrolled': 'This terminal is not enrolled with the hub',
  internal: 'Internal error',
};

const zh = {
  app: { title: 'Till 收银' },
  pairing: { title: '配对此设备', hint: '请输入终端屏幕上显示的六位配对码', code: '配对码', submit: '配对' },
  login: { title: '收银员登录', user: '工号', pin: '密码', submit: '登录', clear: '清除', back: '退格' },
  status: { store: '门店', terminal: '终端', cashier: '收银员', logout: '退出', online: '在线', offline: '离线', disabled: '未连接总部', connecting: '正在连接终端…' },
  sale: {
    scanPlaceholder: '扫描条码或输入 PLU / 名称搜索',
    add: '添加',
    empty: '请扫描商品',
    items: '件数',
    gross: '原价合计',
    savings: '优惠',
    rounding: '抹零',
    total: '应收',
    paid: '已付',
    remaining: '待付',
    qty: '数量',
    voidLine: '删除商品',
    voided: '已删除',
    hold: '挂单',
    recall: '取单',
    voidSale: '整单作废',
    cash: '现金',
    card: '银行卡',
    paymentCode: '扫码支付',
    search: '搜索结果',
    noResults: '没有找到商品',
    member: '会员',
  },
  tender: {
    cashTitle: '现金收款',
    cardTitle: '银行卡收款',
    codeTitle: '扫码支付',
    due: '应付',
    tendered: '实收',
    change: '找零',
    reference: '刷卡终端参考号',
    code: '付款码',
    amount: '金额',
    pay: '确认收款',
    cancel: '取消',
    exact: '刚好',
  },
  receipt: { title: '交易完成', change: '找零', next: '下一位顾客', receiptNo: '小票号' },
  held: { title: '挂单列表', none: '没有挂单', recall: '取回', note: '备注' },
  override: { title: '主管授权', hint: '请主管输入工号和密码', submit: '授权' },
  voidSale: { title: '作废整单', reason: '原因', reasons: ['顾客取消', '扫错商品', '价格争议'], confirm: '确认作废' },
  qty: { title: '修改数量', grams: '克', submit: '确定' },
  keys: { help: '快捷键' },
  errors: zhErrors,
};

type Texts = typeof zh;

const en: Texts = {
  app: { title: 'Till' },
  pairing: { title: 'Pair this device', hint: 'Enter the six-digit pairing code shown on the terminal', code: 'Pairing code', submit: 'Pair' },
  login: { title: 'Cashier sign-in', user: 'User code', pin: 'PIN', submit: 'Sign in', clear: 'Clear', back: 'Back' },
  status: { store: 'Store', terminal: 'Lane', cashier: 'Cashier', logout: 'Sign out', online: 'Online', offline: 'Offline', disabled: 'No hub', connecting: 'Connecting to the terminal…' },
  sale: {
    scanPlaceholder: 'Scan a barcode, or type a PLU or name',
    add: 'Add',
    empty: 'Scan an item',
    items: 'Items',
    gross: 'Subtotal',
    savings: 'Savings',
    rounding: 'Rounding',
    total: 'Total',
    paid: 'Paid',
    remaining: 'Due',
    qty: 'Qty',
    voidLine: 'Void line',
    voided: 'voided',
    hold: 'Hold',
    recall: 'Recall',
    voidSale: 'Void sale',
    cash: 'Cash',
    card: 'Card',
    paymentCode: 'Pay code',
    search: 'Search results',
    noResults: 'No product found',
    member: 'Member',
  },
  tender: {
    cashTitle: 'Cash',
    cardTitle: 'Card',
    codeTitle: 'Payment code',
    due: 'Due',
    tendered: 'Tendered',
    change: 'Change',
    reference: 'Card terminal reference',
    code: 'Payment code',
    amount: 'Amount',
    pay: 'Take payment',
    cancel: 'Cancel',
    exact: 'Exact',
  },
  receipt: { title: 'Sale complete', change: 'Change', next: 'Next customer', receiptNo: 'Receipt' },
  held: { title: 'Held sales', none: 'No held sales', recall: 'Recall', note: 'Note' },
  override: { title: 'Supervisor approval', hint: 'A supervisor enters their code and PIN', submit: 'Approve' },
  voidSale: { title: 'Void the sale', reason: 'Reason', reasons: ['Customer cancelled', 'Wrong items', 'Price dispute'], confirm: 'Void sale' },
  qty: { title: 'Change quantity', grams: 'g', submit: 'OK' },
  keys: { help: 'Keys' },
  errors: enErrors,
};

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export async function initI18n(lng: Language = 'zh-CN'): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'zh-CN',
    resources: { 'zh-CN': { translation: zh }, en: { translation: en } },
    interpolation: { escapeValue: false },
    returnObjects: true,
  });
  return i18next;
}
