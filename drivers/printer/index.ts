/** Receipt printers: status, the ESC/POS printer, the print queue, and the virtual printer. */
export * from './status';
export * from './escpos-printer';
export * from './print-queue';
export * from './virtual-printer';
export * from './virtual-printer-control';
export * from './test-receipt';
