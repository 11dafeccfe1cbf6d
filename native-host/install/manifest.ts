// The native messaging host manifest Chrome, Edge and Chromium read to find and start kyso, and to decide which
// extension may connect: only KýSố's own (fixed ID), never any other origin.

import { EXTENSION_ORIGIN, HOST_NAME } from '@kyso/shared/protocol/extension-id';

export const MANIFEST_FILE = `${HOST_NAME}.json`;

export const HOST_DESCRIPTION = 'KýSố – ký số văn bản PDF bằng USB token / KýSố – sign PDF documents with a USB token';

export interface HostManifest {
  name: string;
  description: string;
  path: string;
  type: 'stdio';
  allowed_origins: string[];
}

/** `path` is the program the browser starts directly: the single executable, or the launcher script. */
export function hostManifest(path: string): HostManifest {
  return { name: HOST_NAME, description: HOST_DESCRIPTION, path, type: 'stdio', allowed_origins: [EXTENSION_ORIGIN] };
}

/** UTF-8 JSON, two-space indent, newline at the end. */
export function manifestJson(path: string): string {
  return JSON.stringify(hostManifest(path), null, 2) + '\n';
}

/** True when text is a host manifest with our name (uninstall removes nothing else). */
export function isOurManifest(text: string): boolean {
  try {
    const m = JSON.parse(text) as Partial<HostManifest> | null;
    return typeof m === 'object' && m !== null && m.name === HOST_NAME;
  } catch {
    return false;
  }
}
