/**
 * till import-members: the old system's member export, GBK with Chinese
 * headers and UTF-8 with English ones; each bad row named with its number
 * and reason; a dry run writes nothing; a real run writes the members and
 * their opening balances in one transaction; opening balances are taken once.
 */
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../src/ledger/index';
import { tempDirs } from '../fixtures/ledger/helpers';
import { till } from '../support/till';

const tmp = tempDirs('cli-members');

async function newTerminal(): Promise<string> {
  const dir = path.join(tmp(), 'data');
  expect((await till('init', '--data', dir, '--store', 'S1', '--terminal', 'T1', '--no-sample')).code).toBe(0);
  return dir;
}

function query<T>(dir: string, sql: string): T[] {
  const l = openLedger(dir, { readonly: true });
  try {
    return l.db.prepare(sql).all() as T[];
  } finally {
    l.close();
  }
}

const head = (dir: string) => (query<{ s: number }>(dir, 'SELECT max(seq) AS s FROM journal')[0] as { s: number }).s;

const GBK_ROWS = [
  '会员卡号,姓名,手机号,会员等级,积分,储值余额,状态',
  '80001234,张伟,138 0013 8000,金卡,1200,350.50,正常',
  '80001235,李娜,+8613900139000,银卡,0,0,正常',
  '80001236,王芳,,普通,35,12.00,停用',
  '80001234,重复卡号,13700137000,普通,1,1.00,正常',
  '8000ABCD,坏卡号,13700137001,普通,1,1.00,正常',
  '80001237,,13700137002,普通,1,1.00,正常',
  '80001238,坏手机,1234567,普通,1,1.00,正常',
  '80001239,小数积分,13700137003,普通,10.5,1.00,正常',
  '80001240,负余额,13700137004,普通,10,-5.00,正常',
  '80001241,重复手机,13800138000,普通,10,5.00,正常',
  '80001242,怪状态,13700137005,普通,10,5.00,待审核',
  '',
];

describe('till import-members', () => {
  it('detects GBK and Chinese headers, names each bad row, a dry run writes nothing, a real run writes members and opening balances in one transaction', async () => {
    const dir = await newTerminal();
    const file = path.join(tmp(), '会员导出.csv');
    fs.writeFileSync(file, iconv.encode(GBK_ROWS.join('\r\n'), 'gbk'));
    const before = head(dir);
    const dry = await till('import-members', file, '--data', dir, '--dry-run', '--json');
    expect(dry.code).toBe(1);
    const report = JSON.parse(dry.out) as Record<string, unknown>;
    expect(report).toMatchObject({ encoding: 'gbk', encodingDetected: true, rows: 11, accepted: 3, openingPoints: 1235, openingBalance: 36250, dryRun: true, written: null });
    expect(report.columns).toEqual({ code: '会员卡号', name: '姓名', phone: '手机号', level: '会员等级', points: '积分', balance: '储值余额', active: '状态' });
    expect(report.rejected).toEqual([
      { row: 5, reason: 'member number 80001234 already on row 2' },
      { row: 6, reason: "member number '8000ABCD' must be 4 to 20 digits" },
      { row: 7, reason: 'missing name' },
      { row: 8, reason: "mobile '1234567' is not an 11-digit number starting with 1" },
      { row: 9, reason: "points '10.5' must be a whole number of at least 0" },
      { row: 10, reason: "balance '-5.00' is not an amount of at least 0" },
      { row: 11, reason: 'mobile 13800138000 already on row 2' },
      { row: 12, reason: "state '待审核' is neither active (正常) nor stopped (停用)" },
    ]);
    expect(head(dir)).toBe(before);

    const real = await till('import-members', file, '--data', dir);
    expect(real.code).toBe(1);
    expect(real.out).toContain('accepted 3, rejected 8; opening balances: 1235 points, ¥362.50 stored value');
    const m = /one transaction, (\d+) journal entries/.exec(real.out);
    expect(m).not.toBeNull();
    expect(head(dir) - before).toBe(Number(m?.[1]));
    expect(query(dir, 'SELECT code, name, active FROM members ORDER BY code')).toEqual([
      { code: '80001234', name: '张伟', active: 1 },
      { code: '80001235', name: '李娜', active: 1 },
      { code: '80001236', name: '王芳', active: 0 },
    ]);
    expect(query(dir, 'SELECT code, level, points, balance, phone FROM member_openings ORDER BY code')).toEqual([
      { code: '80001234', level: '金卡', points: 1200, balance: 35050, phone: '13800138000' },
      { code: '80001235', level: '银卡', points: 0, balance: 0, phone: '13900139000' },
      { code: '80001236', level: '普通', points: 35, balance: 1200, phone: null },
    ]);
    const types = query<{ type: string }>(dir, `SELECT type FROM journal WHERE seq > ${before} ORDER BY seq`).map((r) => r.type);
    expect(types.at(-1)).toBe('MemberOpeningBalances');
    expect([...new Set(types.slice(0, -1))]).toEqual(['CatalogImported']);

    // opening balances are taken once: the same file again changes nothing
    const again = await till('import-members', file, '--data', dir, '--json');
    const second = JSON.parse(again.out) as { accepted: number; rejected: Array<{ row: number; reason: string }>; written: unknown };
    expect(second.accepted).toBe(0);
    expect(second.written).toBeNull();
    expect(second.rejected.filter((r) => r.reason.includes('already has its opening balances')).map((r) => r.row)).toEqual([2, 3, 4, 5]);
    expect(second.rejected).toContainEqual({ row: 11, reason: 'mobile 13800138000 belongs to member 80001234 on this till' });
    const v = await till('verify', '--data', dir);
    expect(v.out + v.err).toMatch(/^ledger intact/);
    expect(v.code).toBe(0);
  });

  it('reads UTF-8 with a BOM and English headers, takes --map for an odd header, and refuses a file without member numbers', async () => {
    const dir = await newTerminal();
    const file = path.join(tmp(), 'members.csv');
    fs.writeFileSync(file, '\ufeffCard No,Name,Mobile,Tier,Points,Balance\n90000001,Ann Lee,13600136000,Gold,10,"1,000.00"\n90000002,Bob,,,,\n');
    const r = await till('import-members', file, '--data', dir, '--map', 'code=Card No', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ encoding: 'utf8', accepted: 2, rejected: [], openingPoints: 10, openingBalance: 100000 });
    expect(query(dir, 'SELECT code, level, points, balance FROM member_openings ORDER BY code')).toEqual([
      { code: '90000001', level: 'Gold', points: 10, balance: 100000 },
      { code: '90000002', level: null, points: 0, balance: 0 },
    ]);
    const noCode = path.join(tmp(), 'nocode.csv');
    fs.writeFileSync(noCode, 'Name,Mobile\nAnn,13600136000\n');
    const bad = await till('import-members', noCode, '--data', dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/the header must name at least a member number and a name column/);
    expect((await till('import-members', file, '--data', dir, '--map', 'colour=Name')).code).toBe(2);
  });
});
