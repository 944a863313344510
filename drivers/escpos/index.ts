/** ESC/POS: the receipt encoder, the decoder used by the virtual printer, and their renderings. */
export * from './commands';
export * from './columns';
export * from './encoder';
export * from './decoder';
export * from './raster';
export * from './render';
export * from './truetype';
export * from './code128';
