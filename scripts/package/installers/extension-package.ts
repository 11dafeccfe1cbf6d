// The self-hosted extension update: the built extension (extension/dist) zipped and signed as a CRX3, and the
// update.xml that points at it. Both go on any static web server; the update URL given to the browsers
// (ExtensionInstallForcelist "<ID>;<base>/update.xml") is that server's update.xml.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_ID } from '../../../shared/protocol/extension-id.ts';
import { packCrx, parseCrx } from './crx.ts';
import { updateXml } from './update-xml.ts';
import { folderEntries, zip } from './zip.ts';

export interface ExtensionPackageInput {
  /** The built extension: a folder with manifest.json. */
  dist: string;
  /** RSA private key (PEM) that fixes the extension ID. */
  keyPem: string | Buffer;
  /** Where the two files will be served, e.g. https://kyso.tinh.gov.vn/ext/ (trailing slash optional). */
  baseUrl: string;
}

export interface ExtensionPackage {
  version: string;
  crxName: string;
  crx: Buffer;
  updateXml: string;
  updateUrl: string;
  codebase: string;
}

export function packageExtension({ dist, keyPem, baseUrl }: ExtensionPackageInput): ExtensionPackage {
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as { version?: string; update_url?: string };
  if (!manifest.version) throw new Error(`${dist}/manifest.json has no version.`);
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const updateUrl = new URL('update.xml', base).href;
  // The packed manifest names the update URL: Chrome and Edge look for updates of an installed extension at its
  // manifest's update_url — without one, at their web store, which does not know it — whatever URL the forcelist
  // used for the first install. The built extension itself stays without one (development, tests, stores).
  const entries = folderEntries(dist).map((e) =>
    e.name === 'manifest.json' ? { name: e.name, data: Buffer.from(JSON.stringify({ ...manifest, update_url: updateUrl }, null, 2) + '\n') } : e,
  );
  const crx = packCrx(zip(entries), keyPem);
  // The key must be the one the extension ID comes from, or the browser refuses the package for this ID.
  const id = parseCrx(crx).extensionId;
  if (id !== EXTENSION_ID) {
    throw new Error(`The key gives extension ID ${id}, not ${EXTENSION_ID} (shared/protocol/extension-id.ts): use the key whose public half is the manifest's "key".`);
  }
  const crxName = `kyso-${manifest.version}.crx`;
  const codebase = new URL(crxName, base).href;
  return {
    version: manifest.version,
    crxName,
    crx,
    updateXml: updateXml({ appId: EXTENSION_ID, codebase, version: manifest.version }),
    updateUrl,
    codebase,
  };
}
