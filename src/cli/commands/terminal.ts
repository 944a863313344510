/**
 * `till terminal`: a headless terminal composed by startTerminalRuntime
 * (src/terminal/runtime/runtime.ts): the devices of DATA/devices.json, the selling
 * core on its ledger, the lane server (the cashier UI for a browser on
 * 127.0.0.1; on a LAN address over HTTPS with the certificate whose
 * fingerprint it prints), and the replicator when the terminal is enrolled.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startTerminalRuntime } from '../../terminal/index';
import { EXIT, UsageError, type Command } from '../io';
import { openLog } from '../logging';

const command: Command = {
  summary: 'run a headless terminal: devices, lane server and replication to its hub',
  usage: 'till terminal --data DIR [--lane-port P] [--lane-host H] [--lane-name NAME] [--no-lane]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { data: { type: 'string' }, 'lane-port': { type: 'string' }, 'lane-host': { type: 'string' }, 'lane-name': { type: 'string' }, 'no-lane': { type: 'boolean', default: false } } });
    if (!values.data) throw new UsageError('--data is required');
    const lanePort = values['lane-port'] === undefined ? 0 : Number(values['lane-port']);
    if (!Number.isInteger(lanePort) || lanePort < 0 || lanePort > 65535) throw new UsageError(`bad --lane-port ${values['lane-port']}`);
    const log = await openLog(io, { name: 'terminal', dir: values.data, longRunning: true });
    const runtime = await startTerminalRuntime({
      dataDir: values.data,
      logger: log.logger,
      lane: values['no-lane']
        ? null
        : {
            staticDir: path.resolve(__dirname, '../../../out/renderer'),
            ...(values['lane-host'] ? { host: values['lane-host'] } : {}),
            ...(values['lane-name'] ? { laneName: values['lane-name'] } : {}),
            port: lanePort,
          },
    }).catch(async (e: unknown) => {
      log.logger.error('the terminal did not start', { err: e });
      await log.close();
      throw e;
    });
    try {
      const { sync, lane, devices } = runtime;
      const { store, terminal: code } = runtime.terminal.ledger.identity;
      io.out(sync ? `terminal ${store}/${code}: replicating to ${sync.credentials.hubUrl}\n` : `terminal ${store}/${code}: not replicating to a hub (till enroll), selling offline\n`);
      io.out(`${devices.summary}\n`);
      if (lane) io.out(`lane server on ${lane.url} (pairing code ${lane.pairingCode})\n`);
      if (lane?.certificate) io.out(`lane certificate SHA-256 fingerprint: ${lane.certificate.fingerprint}\n`);
      await io.untilSignal();
      return EXIT.ok;
    } finally {
      await runtime.close();
      await log.close();
    }
  },
};
export default command;
