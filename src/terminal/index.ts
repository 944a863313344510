/** The terminal's public surface: import from here. */
export { createTerminal, type Terminal, type TerminalOptions, type Handlers } from './terminal';
export { applyCatalogDelta, importCatalog, catalogVersion, CatalogReader, type CatalogApplyResult, type CatalogChange, CATALOG_APPLIED, CATALOG_IMPORTED } from './catalog';
export { saveUser, findUser } from './auth';
export { hashPin, verifyPin } from './pin-hash';
export { SandboxPaymentProvider, type SandboxOptions, type SandboxOutcome } from './payment-sandbox';
export { SALE_COMPLETED, SALE_VOIDED, CART_HELD, CART_RECALLED, OVERRIDE_GRANTED } from './projections';
export type { PaymentProvider, PaymentRequest, PaymentAnswer } from '../core/payment';
export { decodeCatalogFile, readCatalogFile, loadSampleCatalog, seedSampleCatalog, SAMPLE_CATALOG_DIR, type FileEncoding } from './catalog-file';
export type { HandlerMap, Handler, TerminalCore } from './terminal';
export { sellingHandlers, type SellingMethod } from './selling-handlers';
export { startTerminalRuntime, type TerminalRuntime, type RuntimeOptions, type RuntimeLaneOptions } from './runtime';
export { attachSync, startLedgerSync, syncStatusView, type AttachSyncOptions, type LedgerSyncOptions } from './runtime-sync';
export { readDevicesFile, startFileDevices, deviceHealth, DEVICES_FILE, type DevicesFile, type RuntimeDevices } from './runtime-devices';
export { sealedTokenVault, type TokenSealer } from './runtime-vault';
