// Checks on the generated templates, shared by build.ts and the tests: XML well-formed, every policy key present
// in every template that carries the extension's settings, .reg encoding.

import { POLICY_KEYS } from '../../../shared/policy/schema.ts';
import { EXTENSION_ID } from '../../../shared/protocol/extension-id.ts';
import { checkWellFormed } from './xml.ts';
import type { TemplateFile } from './templates.ts';

export function decodeReg(bytes: Uint8Array): string | null {
  if (bytes.length < 2 || bytes[0] !== 0xff || bytes[1] !== 0xfe) return null;
  return Buffer.from(bytes.subarray(2)).toString('utf16le');
}

/** The files that carry the extension's settings (the install-only files do not). */
export function carriesSettings(f: TemplateFile): boolean {
  return /\.(admx|adml|mobileconfig)$/.test(f.path) || /-settings\.reg$/.test(f.path) || /kyso-extension\.json$/.test(f.path);
}

export function templateText(f: TemplateFile): string {
  return f.kind === 'reg' ? (decodeReg(f.bytes) ?? '') : new TextDecoder().decode(f.bytes);
}

export function checkTemplates(files: readonly TemplateFile[]): string[] {
  const problems: string[] = [];
  for (const f of files) {
    const text = templateText(f);
    if (f.kind === 'reg') {
      if (decodeReg(f.bytes) === null) problems.push(`${f.path}: not UTF-16LE with a byte order mark`);
      else if (!text.startsWith('Windows Registry Editor Version 5.00\r\n')) problems.push(`${f.path}: header`);
      else if (/[^\r]\n/.test(text)) problems.push(`${f.path}: LF without CR`);
    }
    if (f.kind === 'admx' || f.kind === 'adml' || f.kind === 'mobileconfig') {
      try {
        checkWellFormed(text);
      } catch (e) {
        problems.push(`${f.path}: ${(e as Error).message}`);
      }
    }
    if (f.kind === 'json') {
      try {
        JSON.parse(text);
      } catch (e) {
        problems.push(`${f.path}: ${(e as Error).message}`);
      }
    }
    if (carriesSettings(f)) {
      if (f.kind !== 'adml' && !text.includes(EXTENSION_ID)) problems.push(`${f.path}: no extension ID`);
      for (const k of POLICY_KEYS) if (!text.includes(k)) problems.push(`${f.path}: no ${k}`);
    }
  }
  return problems;
}
