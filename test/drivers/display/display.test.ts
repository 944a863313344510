import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayCmd } from '../../../drivers/display/commands';
import { DisplayDecoder } from '../../../drivers/display/display-decoder';
import { SimulatedDisplay } from '../../../drivers/display/simulated-display';
import { fitColumns, VfdDisplay } from '../../../drivers/display/vfd-display';
import { ManagedTransport } from '../../../drivers/transport/managed';
import { SerialConnector } from '../../../drivers/transport/serial';
import { SimulatedConnector } from '../../../drivers/transport/simulated';
import { cleanupsAfterEach, until } from '../../support/wait';

const cleanups = cleanupsAfterEach();

describe('display commands', () => {
  it('CD5220 lines, cursor, lamps; Epson cursor', () => {
    expect([...displayCmd.cd5220Line(1, Buffer.from('AB'))]).toEqual([0x1b, 0x51, 0x41, 0x41, 0x42, 0x0d]);
    expect([...displayCmd.cd5220Line(2, Buffer.from('C'))]).toEqual([0x1b, 0x51, 0x42, 0x43, 0x0d]);
    expect([...displayCmd.lamp(4)]).toEqual([0x1b, 0x73, 0x34]);
    expect([...displayCmd.lamp(0)]).toEqual([0x1b, 0x73, 0x30]);
    expect([...displayCmd.epsonCursor(1, 2)]).toEqual([0x1f, 0x24, 1, 2]);
    expect([...displayCmd.clear()]).toEqual([0x0c]);
  });

  it('fits text to 20 columns counting CJK as two', () => {
    expect(fitColumns('农夫山泉饮用天然水 550ml', 20)).toBe('农夫山泉饮用天然水 5');
    expect(fitColumns('可乐', 6)).toBe('可乐  ');
  });
});

describe('VFD display on a real pty, decoded by the simulated display', () => {
  it('shows last item and price, total, paid and change with the right lamps (CD5220, GB18030)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-vfd-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const sim = await SimulatedDisplay.open(path.join(dir, 'vfd'));
    cleanups.push(() => sim.unplug());
    const t = new ManagedTransport(new SerialConnector({ path: sim.path }));
    cleanups.push(() => t.close());
    t.open();
    await t.whenOpen(2000);
    const d = new VfdDisplay(t);
    await d.showItem('可口可乐 330ml', 350);
    await until(() => sim.screen.lamp === 1);
    expect(sim.screen.rows).toEqual([fitColumns('可口可乐 330ml', 20), '单价            3.50']);
    await d.showTotal(1250);
    await until(() => sim.screen.lamp === 2);
    expect(sim.screen.rows).toEqual(['合计                ', '               12.50']);
    await d.showPaid(2000);
    await until(() => sim.screen.lamp === 3);
    expect(sim.screen.rows[1].trim()).toBe('20.00');
    await d.showChange(750);
    await until(() => sim.screen.lamp === 4);
    expect(sim.screen.rows).toEqual(['找零                ', '                7.50']);
    await d.clear();
    await until(() => sim.screen.lamp === 0);
    expect(sim.screen.rows).toEqual([' '.repeat(20), ' '.repeat(20)]);
    expect(sim.screen.unknown).toBe(0);
  });

  it('Epson dialect with the ASCII fallback', async () => {
    const link = new SimulatedConnector('vfd');
    const t = new ManagedTransport(link);
    cleanups.push(() => t.close());
    const dec = new DisplayDecoder();
    link.on('data', (b) => dec.push(b));
    t.open();
    await t.whenOpen(500);
    const d = new VfdDisplay(t, { dialect: 'epson', charset: 'ascii' });
    await d.showItem('可乐 Cola 330ml', 350);
    expect(dec.screen.rows).toEqual(['Cola 330ml          ', 'PRICE           3.50']);
    expect(dec.screen.lamp).toBe(0);
    await d.showChange(5);
    expect(dec.screen.rows).toEqual(['CHANGE              ', '                0.05']);
  });

  it('the screen decoder survives random bytes (seeded, bounded)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 }), (chunks) => {
        const dec = new DisplayDecoder();
        for (const c of chunks) dec.push(c);
        const s = dec.screen;
        expect(s.rows).toHaveLength(2);
        expect(s.lamp).toBeGreaterThanOrEqual(0);
        expect(s.lamp).toBeLessThanOrEqual(4);
      }),
      { numRuns: 800, seed: 3 },
    );
  });
});
