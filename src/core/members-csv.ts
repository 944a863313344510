/**
 * Reading a member export from an old till system (CSV, already decoded to
 * text), the way readCatalogCsv reads products: Chinese or English headers
 * (会员号/卡号/code, 姓名/name, 手机/phone, 等级/level, 积分/points,
 * 储值余额/余额/balance, 状态/active) or an explicit map, every row accepted
 * or rejected with its row number (the header is row 1) and a reason. The
 * points and the stored balance become the member's opening balances.
 * Rejected: a missing or malformed member number or name, a number or mobile
 * used twice in the file (or a mobile another member has on the till), a
 * mobile that is not 11 digits from 1, points that
 * are not a whole number of at least 0, a balance that is not an amount of
 * at least 0, an unknown state, and a member whose opening balance is
 * already on the till (opening balances are taken once). Pure.
 */
import type { Member } from '../shared/contract/catalog';
import type { MemberOpening } from '../shared/journal-events';
import { csvTable, matchColumns, parsePrice } from './catalog-csv';

export const MEMBER_FIELDS = ['code', 'name', 'phone', 'level', 'points', 'balance', 'active'] as const;
export type MemberField = (typeof MEMBER_FIELDS)[number];

const HEADERS: Record<MemberField, string[]> = {
  code: ['会员号', '会员卡号', '卡号', '会员编号', '会员编码', 'code', 'memberno', 'membercode', 'cardno', 'card'],
  name: ['姓名', '会员姓名', '会员名称', '名称', 'name', 'membername'],
  phone: ['手机', '手机号', '手机号码', '电话', '联系电话', 'mobile', 'phone', 'tel'],
  level: ['等级', '会员等级', '级别', '会员级别', 'level', 'tier', 'grade'],
  points: ['积分', '当前积分', '可用积分', '剩余积分', 'points', 'point', 'bonus'],
  balance: ['储值余额', '余额', '储值', '卡内余额', '账户余额', 'balance', 'storedvalue', 'stored'],
  active: ['状态', '会员状态', '是否有效', 'active', 'status', 'enabled'],
};

const ACTIVE = new Set(['', '正常', '有效', '启用', '是', 'active', 'yes', 'y', '1', 'true', 'ok']);
const INACTIVE = new Set(['停用', '冻结', '注销', '无效', '否', 'inactive', 'disabled', 'no', 'n', '0', 'false', 'frozen']);

export type { MemberOpening };

export interface MemberRejection {
  row: number;
  reason: string;
}

export interface MembersReport {
  columns: Partial<Record<MemberField, string>>;
  rows: number;
  members: Member[];
  openings: MemberOpening[];
  rejected: MemberRejection[];
}

export function readMembersCsv(
  text: string,
  opts: { map?: Partial<Record<MemberField, string>>; hasOpening?: (code: string) => boolean; phoneOwner?: (phone: string) => string | null } = {},
): MembersReport {
  const { header, rows } = csvTable(text);
  const { columns, index } = matchColumns(header, MEMBER_FIELDS, HEADERS, opts.map);
  if (index.code === undefined || index.name === undefined) {
    throw new RangeError(`the header must name at least a member number and a name column (found: ${header.join(', ') || 'nothing'}); use --map field=header`);
  }
  const members: Member[] = [];
  const openings: MemberOpening[] = [];
  const rejected: MemberRejection[] = [];
  const seenCode = new Map<string, number>();
  const seenPhone = new Map<string, number>();
  rows.forEach((cells, i) => {
    const rowNo = i + 2;
    const get = (f: MemberField) => (index[f] === undefined ? '' : (cells[index[f] as number] ?? '').trim());
    const reject = (reason: string) => void rejected.push({ row: rowNo, reason });
    const code = get('code');
    if (!code) return reject('missing member number');
    if (!/^\d{4,20}$/.test(code)) return reject(`member number '${code}' must be 4 to 20 digits`);
    const name = get('name');
    if (!name) return reject('missing name');
    if (name.length > 40) return reject('name longer than 40 characters');
    const phoneText = get('phone').replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
    if (phoneText && !/^1\d{10}$/.test(phoneText)) return reject(`mobile '${get('phone')}' is not an 11-digit number starting with 1`);
    const level = get('level');
    if (level.length > 20) return reject('level longer than 20 characters');
    const pointsText = get('points').replace(/,/g, '');
    if (pointsText && !/^\d{1,12}$/.test(pointsText)) return reject(`points '${get('points')}' must be a whole number of at least 0`);
    const balanceText = get('balance');
    const balance = balanceText ? parsePrice(balanceText) : 0;
    if (balance === null || balance < 0) return reject(`balance '${balanceText}' is not an amount of at least 0`);
    const state = get('active').toLowerCase();
    if (!ACTIVE.has(state) && !INACTIVE.has(state)) return reject(`state '${get('active')}' is neither active (正常) nor stopped (停用)`);
    const dupCode = seenCode.get(code);
    if (dupCode !== undefined) return reject(`member number ${code} already on row ${dupCode}`);
    const dupPhone = phoneText ? seenPhone.get(phoneText) : undefined;
    if (dupPhone !== undefined) return reject(`mobile ${phoneText} already on row ${dupPhone}`);
    if (opts.hasOpening?.(code)) return reject(`member ${code} already has its opening balances on this till (they are imported once)`);
    const owner = phoneText ? (opts.phoneOwner?.(phoneText) ?? null) : null;
    if (owner !== null && owner !== code) return reject(`mobile ${phoneText} belongs to member ${owner} on this till`);
    seenCode.set(code, rowNo);
    if (phoneText) seenPhone.set(phoneText, rowNo);
    members.push({ code, name, active: !INACTIVE.has(state) });
    openings.push({ code, level: level || null, points: pointsText ? Number(pointsText) : 0, balance, phone: phoneText || null });
  });
  return { columns, rows: rows.length, members, openings, rejected };
}
