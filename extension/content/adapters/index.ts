// One adapter per portal family, chosen by the frame's URL and page markers; the generic adapter for the rest.
// Asked again on every scan: single-page portals change what a frame shows without a new document.

import type { Adapter } from './types.ts';
import { genericAdapter } from './generic.ts';
import { iofficeAdapter } from './ioffice.ts';
import { qofficeAdapter } from './qoffice.ts';
import { tthcAdapter } from './tthc.ts';

export const FAMILY_ADAPTERS: readonly Adapter[] = [qofficeAdapter, iofficeAdapter, tthcAdapter];

export function chooseAdapter(url: URL, doc: Document): Adapter {
  return FAMILY_ADAPTERS.find((a) => a.matches(url, doc)) ?? genericAdapter;
}

export type { Adapter, UploadFound } from './types.ts';
