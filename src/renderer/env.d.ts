/// <reference types="vite/client" />
import type { TillApi } from '../shared/contract/api';

declare global {
  interface Window {
    /** set by the Electron preload; absent in a browser on the lane server */
    readonly till?: TillApi;
  }
}
