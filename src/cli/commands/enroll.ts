/**
 * `till enroll`: trades a one-time code from the hub for this terminal's
 * long-lived token. The identity sent is the one bound into the ledger's
 * genesis, so a code for another (store, terminal) is refused by the hub.
 * The hub's public key and the chain's PIN key come with the token and are
 * kept with it (0600). A hub off this computer must be https unless
 * --insecure is given (labs only: it is remembered and warned about at every
 * start).
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { openLedger } from '../../ledger/index';
import { fileTokenVault } from '../../sync/credentials';
import { checkHubUrl } from '../../sync/hub-trust';
import { enrollWithHub, normalizeHubUrl } from '../../terminal/index';
import { UsageError, type Command } from '../io';

const command: Command = {
  summary: 'enroll this terminal with a hub using a one-time code',
  usage: 'till enroll --data DIR --hub URL --code CODE [--ca CA.pem] [--insecure]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { data: { type: 'string' }, hub: { type: 'string' }, code: { type: 'string' }, ca: { type: 'string' }, insecure: { type: 'boolean', default: false } } });
    if (!values.data || !values.hub || !values.code) throw new UsageError('--data, --hub and --code are required');
    if (!/^(https?|wss?):\/\//.test(values.hub)) throw new UsageError(`--hub must be an http(s) URL (got ${values.hub})`);
    const ca = values.ca === undefined ? undefined : fs.readFileSync(values.ca, 'utf8');
    const ledger = openLedger(values.data, { readonly: true });
    try {
      const insecure = values.insecure;
      const hubUrl = normalizeHubUrl(values.hub);
      if (checkHubUrl(hubUrl, insecure).plainOffLoopback) io.err(`WARNING: ${hubUrl} is plain http off this computer (--insecure): the token, the PIN key and the catalog cross the network readable; for a lab only
`);
      const r = await enrollWithHub({ identity: ledger.identity, vault: fileTokenVault(ledger.dir), hubUrl, code: values.code, insecure, ...(ca ? { ca } : {}) });
      io.out(`enrolled ${r.terminalId} with ${r.hubUrl}
`);
    } finally {
      ledger.close();
    }
    return 0;
  },
};
export default command;
