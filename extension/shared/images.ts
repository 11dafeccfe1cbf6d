// The user's signature and seal images (PNG), kept in storage.local: they belong to this machine's user and are
// too large for storage.sync. The options page writes them, the signing page reads them.

import browser from 'webextension-polyfill';
import { fromBase64, toBase64 } from '@kyso/shared/pki/base64';

export type ImageKind = 'signatureImage' | 'sealImage';

/** Recommended sizes (Q-Office's guide): signature 780×424, seal 1229×1221, transparent background. */
export const RECOMMENDED_SIZE: Record<ImageKind, { width: number; height: number }> = {
  signatureImage: { width: 780, height: 424 },
  sealImage: { width: 1229, height: 1221 },
};

export async function loadImage(kind: ImageKind): Promise<Uint8Array | undefined> {
  const got = (await browser.storage.local.get(kind)) as Record<string, unknown>;
  const v = got[kind];
  return typeof v === 'string' && v ? fromBase64(v) : undefined;
}

export async function saveImage(kind: ImageKind, png: Uint8Array | null): Promise<void> {
  if (png === null) await browser.storage.local.remove(kind);
  else await browser.storage.local.set({ [kind]: toBase64(png) });
}

