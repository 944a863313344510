/**
 * The whole contract: every call the UI can make. Each domain declares its
 * calls in its own file and they are merged here.
 */
import type { z } from 'zod';
import type { MethodDef } from './define';
import { systemMethods } from './system';
import { authMethods } from './auth';
import { catalogMethods } from './catalog';
import { cartMethods } from './cart';
import { tenderMethods } from './tender';
import { saleMethods } from './sale';
import { operationsMethods } from './operations';
import { usersMethods } from './users';
import { shiftMethods } from './shift';
import { refundMethods } from './refund';
import { reportMethods } from './report';
import { devicesMethods } from './devices';
import { syncMethods } from './sync';
import { setupMethods } from './setup';

export * from './define';

export const contract = {
  ...systemMethods,
  ...authMethods,
  ...catalogMethods,
  ...cartMethods,
  ...tenderMethods,
  ...saleMethods,
  ...operationsMethods,
  ...usersMethods,
  ...shiftMethods,
  ...refundMethods,
  ...reportMethods,
  ...devicesMethods,
  ...syncMethods,
  ...setupMethods,
} as const satisfies Record<string, MethodDef>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export type MethodInput<N extends MethodName> = z.input<Contract[N]['input']>;
export type MethodOutput<N extends MethodName> = z.output<Contract[N]['output']>;
