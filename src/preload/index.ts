/**
 * The preload: builds window.till from the contract's method list and
 * nothing else. It is small and defensive, like VS Code's: a method or event
 * outside the contract is refused here before it reaches IPC, only plain data
 * crosses the bridge, and the renderer never sees ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, isEventName, isMethodName, type TillApi } from '../shared/contract/api';
import type { Result } from '../shared/result';

const refuse = (code: 'unknown-method' | 'bad-input', message: string): Promise<Result<never>> =>
  Promise.resolve({ ok: false, error: { code, message } });

const till = {
  call: (method, input, ctx) => {
    if (!isMethodName(method)) return refuse('unknown-method', `unknown method '${String(method)}'`);
    return ipcRenderer.invoke(CHANNELS.call, { method, input, ctx: ctx ?? {} });
  },
  on: (event, listener) => {
    if (!isEventName(event) || typeof listener !== 'function') throw new TypeError(`unknown event '${String(event)}'`);
    const relay = (_e: IpcRendererEvent, message: { name: string; payload: never }): void => {
      if (message.name === event) listener(message.payload);
    };
    ipcRenderer.on(CHANNELS.event, relay);
    return () => {
      ipcRenderer.removeListener(CHANNELS.event, relay);
    };
  },
} satisfies TillApi;

contextBridge.exposeInMainWorld('till', till);
