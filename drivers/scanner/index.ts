/**
 * Scanners. The keyboard-wedge detector the renderer uses lives in
 * src/shared/wedge.ts (the renderer may import only src/shared) and is
 * re-exported here so every scanner kind is reachable from one place.
 */
export * from './frame-parser';
export * from './serial-scanner';
export * from './simulated-scanner';
export { WedgeDetector, type WedgeOptions, type WedgeVerdict } from '../../src/shared/wedge';
