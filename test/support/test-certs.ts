/**
 * A throwaway certificate authority for mutual-TLS tests, made with the
 * openssl command at test time in a temp folder: a server certificate for
 * 127.0.0.1 and a merchant client certificate (PEM and PKCS#12, as WeChat Pay
 * issues apiclient_cert.p12 with the merchant id as its password).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCerts {
  dir: string;
  ca: string;
  serverKey: string;
  serverCert: string;
  clientKey: string;
  clientCert: string;
  /** apiclient_cert.p12 */
  clientP12: Buffer;
  /** a client certificate from another CA, which the server must not accept */
  strangerKey: string;
  strangerCert: string;
}

export function makeTestCerts(p12Password: string): TestCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-certs-'));
  const f = (n: string) => path.join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=Till test CA');
  fs.writeFileSync(f('san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  const issue = (name: string, cn: string, caKey: string, caCert: string, ext: string[]) => {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${cn}`);
    ssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-out', f(`${name}.pem`), '-days', '2', ...ext);
  };
  issue('server', '127.0.0.1', f('ca.key'), f('ca.pem'), ['-extfile', f('san.cnf')]);
  issue('client', '1900000109', f('ca.key'), f('ca.pem'), []);
  ssl('pkcs12', '-export', '-inkey', f('client.key'), '-in', f('client.pem'), '-out', f('client.p12'), '-passout', `pass:${p12Password}`);
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('stranger.key'), '-out', f('stranger.pem'), '-days', '2', '-subj', '/CN=stranger');
  const read = (n: string) => fs.readFileSync(f(n), 'utf8');
  return {
    dir,
    ca: read('ca.pem'),
    serverKey: read('server.key'),
    serverCert: read('server.pem'),
    clientKey: read('client.key'),
    clientCert: read('client.pem'),
    clientP12: fs.readFileSync(f('client.p12')),
    strangerKey: read('stranger.key'),
    strangerCert: read('stranger.pem'),
  };
}
