/**
 * Builds the renderer once before any test file runs, so e2e files running in
 * parallel workers never race to write out/renderer.
 */
import { ensureRendererBuilt } from './helpers';

export default async function setup(): Promise<void> {
  await ensureRendererBuilt();
}
