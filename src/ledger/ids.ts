/**
 * ULIDs with a pooled random source. The ulid package's default source asks
 * crypto.getRandomValues for one byte per character (16 calls per id); this
 * one draws the same uniform bytes from a 4 KiB crypto.randomBytes pool, so
 * an id costs no system call most of the time.
 */
import { randomBytes } from 'node:crypto';
import { monotonicFactory, ulid } from 'ulid';

const POOL = 4096;
let pool = randomBytes(POOL);
let at = 0;

/** a fraction in [0, 1) from one random byte, as the ulid package's own source gives */
function pooledByte(): number {
  if (at === POOL) {
    pool = randomBytes(POOL);
    at = 0;
  }
  return (pool[at++] as number) / 256;
}

/** a fresh ULID for now */
export function newUlid(): string {
  return ulid(undefined, pooledByte);
}

/** ULIDs that increase strictly, even within one millisecond (the journal's ids) */
export function monotonicUlids(): (ms: number) => string {
  return monotonicFactory(pooledByte);
}
