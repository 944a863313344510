/** Types of scripts/electron-native.mjs for the tests. */
export declare const NATIVE_FILE: string;
export declare const STAMP_FILE: string;
export declare function nativeDir(platform: string, arch: string): string;
export declare function electronVersion(): string;
export declare function buildEnv(env?: Record<string, string | undefined>): Record<string, string | undefined>;
export declare function ensureElectronNative(opts?: {
  electron?: string;
  platform?: string;
  arch?: string;
  force?: boolean;
  log?: (line: string) => void;
}): Promise<{ file: string; how: 'up to date' | 'prebuilt' | 'compiled' }>;
