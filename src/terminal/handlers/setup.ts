/**
 * The first-run set-up calls (src/shared/contract/setup.ts). What they do
 * needs the running terminal around the core (its devices, its vault, its
 * replicator), so the work is a SetupService the runtime provides
 * (../runtime/setup.ts); a terminal opened without a runtime (tests, the CLI's
 * reports) answers setup.status as "not needed" and refuses the rest.
 */
import type { MethodInput, MethodOutput } from '../../shared/contract/index';
import { TillError } from '../../shared/errors';
import type { HandlerMap } from './handler-types';
import type { Call } from './call';

export type SetupMethod = 'setup.status' | 'setup.state' | 'setup.ports' | 'setup.probeHub' | 'setup.enroll' | 'setup.testDevice' | 'setup.save' | 'setup.close';

/** the runtime's side of each set-up call; `user` is who asked (for the journal and the log) */
export interface SetupService {
  status(): MethodOutput<'setup.status'>;
  state(): MethodOutput<'setup.state'>;
  ports(): Promise<MethodOutput<'setup.ports'>>;
  probeHub(url: string): Promise<MethodOutput<'setup.probeHub'>>;
  enroll(i: MethodInput<'setup.enroll'>, user: Call['user']): Promise<MethodOutput<'setup.enroll'>>;
  testDevice(i: MethodInput<'setup.testDevice'>, user: Call['user']): Promise<MethodOutput<'setup.testDevice'>>;
  save(i: MethodInput<'setup.save'>, user: Call['user']): Promise<MethodOutput<'setup.save'>>;
  close(): Promise<MethodOutput<'setup.close'>>;
}

export function setupHandlers(service: () => SetupService | null): HandlerMap<SetupMethod> {
  const need = (): SetupService => {
    const s = service();
    if (!s) throw new TillError('conflict', 'the set-up runs in the Till app or in till terminal, not on a bare ledger');
    return s;
  };
  return {
    'setup.status': () => service()?.status() ?? { needed: false, language: null },
    'setup.state': () => need().state(),
    'setup.ports': () => need().ports(),
    'setup.probeHub': (i) => need().probeHub(i.url),
    'setup.enroll': (i, c) => need().enroll(i, c.user),
    'setup.testDevice': (i, c) => need().testDevice(i, c.user),
    'setup.save': (i, c) => need().save(i, c.user),
    'setup.close': () => need().close(),
  };
}
