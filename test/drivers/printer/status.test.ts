import { describe, expect, it } from 'vitest';
import { canPrint, isStatusByte, parseStatus, statusBytes } from '../../../drivers/printer/status';

describe('DLE EOT status', () => {
  it('parses each condition from the four answers', () => {
    expect(parseStatus([0x16, 0x12, 0x12, 0x12])).toMatchObject({ state: 'ready', online: true, drawerPinHigh: true });
    expect(parseStatus(statusBytes({ paperOut: true }))).toMatchObject({ state: 'paper-out', paperOut: true, online: false, message: 'printer is out of paper' });
    expect(parseStatus(statusBytes({ paperNearEnd: true }))).toMatchObject({ state: 'paper-near-end', online: true });
    expect(parseStatus(statusBytes({ coverOpen: true }))).toMatchObject({ state: 'cover-open', coverOpen: true, online: false });
    expect(parseStatus(statusBytes({ offline: true }))).toMatchObject({ state: 'offline', online: false });
    expect(parseStatus(statusBytes({ error: true }))).toMatchObject({ state: 'error' });
    expect(parseStatus(statusBytes({ drawerPinHigh: false })).drawerPinHigh).toBe(false);
  });

  it('tells status bytes from other traffic and says when a job may be sent', () => {
    expect(isStatusByte(0x12)).toBe(true);
    expect(isStatusByte(0x1e)).toBe(true);
    expect(isStatusByte(0x0a)).toBe(false);
    expect(isStatusByte(0x92)).toBe(false);
    expect(canPrint(parseStatus(statusBytes({ paperNearEnd: true })))).toBe(true);
    expect(canPrint(parseStatus(statusBytes({ paperOut: true })))).toBe(false);
  });
});
