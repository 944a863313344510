/**
 * The far end of a pseudo-terminal, for simulated serial devices. socat
 * creates the pty, links its slave side at a fixed path (the "port" the
 * driver opens) and relays its master side to our pipes. close() is an
 * unplug: the driver's port hangs up; a new PtyPeer on the same path is the
 * replug.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { TillError } from '../../src/shared/errors';
import { Emitter } from './emitter';

export interface PtyPeerEvents {
  /** bytes the driver wrote to the port */
  data: Buffer;
  exit: void;
}

export class PtyPeer extends Emitter<PtyPeerEvents> {
  private child: ChildProcess | null = null;

  private constructor(readonly path: string) {
    super();
  }

  static async open(path: string, timeoutMs = 5000): Promise<PtyPeer> {
    const peer = new PtyPeer(path);
    await peer.start(timeoutMs);
    return peer;
  }

  private start(timeoutMs: number): Promise<void> {
    fs.rmSync(this.path, { force: true });
    return new Promise((resolve, reject) => {
      const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.path}`, 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] });
      this.child = child;
      let stderr = '';
      let settled = false;
      const timer = setTimeout(() => done(new TillError('device-error', `socat did not create ${this.path} within ${timeoutMs} ms: ${stderr.trim()}`)), timeoutMs);
      const done = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          child.kill('SIGKILL');
          reject(err);
        } else resolve();
      };
      child.on('error', (e: NodeJS.ErrnoException) =>
        done(new TillError('device-error', e.code === 'ENOENT' ? 'simulated serial devices need socat (Debian package socat)' : `socat: ${e.message}`)),
      );
      child.stdout?.on('data', (d: Buffer) => this.emit('data', d));
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/starting data transfer loop/.test(stderr) && fs.existsSync(this.path)) done();
      });
      child.on('exit', () => {
        this.child = null;
        done(new TillError('device-error', `socat exited: ${stderr.trim().split('\n').pop() ?? ''}`));
        this.emit('exit', undefined);
      });
    });
  }

  get alive(): boolean {
    return this.child !== null;
  }

  write(data: Uint8Array | string): Promise<void> {
    const child = this.child;
    if (!child?.stdin) return Promise.reject(new TillError('device-error', `pty ${this.path} is closed`));
    return new Promise((resolve, reject) => child.stdin?.write(Buffer.from(data), (e) => (e ? reject(e) : resolve())));
  }

  /** unplug: the pty goes away and the driver's port hangs up */
  close(): Promise<void> {
    const child = this.child;
    if (!child) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
