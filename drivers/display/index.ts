/** Customer displays (客显): command sets, the VFD driver, the screen decoder and the simulated display. */
export * from './commands';
export * from './vfd-display';
export * from './display-decoder';
export * from './simulated-display';
