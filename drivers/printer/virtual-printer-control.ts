/**
 * A small HTTP control for the virtual printer, for IT staff and scripts:
 *   curl http://127.0.0.1:9101/            condition and job count (JSON)
 *   curl http://127.0.0.1:9101/paper-out   (also: paper-low, paper-ok, cover-open, cover-closed,
 *                                           offline, online, error, error-cleared,
 *                                           drawer-open, drawer-closed, drop)
 * GET and POST both work; it listens on 127.0.0.1 only unless told otherwise.
 */
import http from 'node:http';
import type { PrinterCondition, VirtualPrinter } from './virtual-printer';

export const CONTROL_ACTIONS: Record<string, Partial<PrinterCondition> | 'drop'> = {
  'paper-out': { paperOut: true },
  'paper-low': { paperNearEnd: true, paperOut: false },
  'paper-ok': { paperOut: false, paperNearEnd: false },
  'cover-open': { coverOpen: true },
  'cover-closed': { coverOpen: false },
  offline: { offline: true },
  online: { offline: false },
  error: { error: true },
  'error-cleared': { error: false },
  'drawer-open': { drawerOpen: true },
  'drawer-closed': { drawerOpen: false },
  drop: 'drop',
};

export function startControlServer(vp: VirtualPrinter, port: number, host = '127.0.0.1'): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const action = (req.url ?? '/').replace(/^\/+|\/+$/g, '').split('?')[0] ?? '';
    const reply = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body) + '\n');
    };
    if (action === '' || action === 'status') {
      reply(200, { condition: vp.condition, jobs: vp.jobs.length, connections: vp.connections });
      return;
    }
    const change = CONTROL_ACTIONS[action];
    if (!change) {
      reply(404, { error: `unknown action '${action}'; known: ${Object.keys(CONTROL_ACTIONS).join(', ')}` });
      return;
    }
    if (change === 'drop') vp.dropConnections();
    else vp.set(change);
    reply(200, { ok: true, action, condition: vp.condition });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
