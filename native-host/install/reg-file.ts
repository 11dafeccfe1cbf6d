// .reg files equivalent to what install-host does with reg.exe on Windows: one to register, one to remove. They
// let an administrator (or a GPO / deployment tool) apply the registration without running kyso, and they are
// written on every Windows install so the two ways never drift apart. Format: what regedit exports, UTF-16LE with
// a byte order mark, CRLF lines, backslashes and quotes escaped in string values.

import { HOST_NAME } from '@kyso/shared/protocol/extension-id';

export const REG_HEADER = 'Windows Registry Editor Version 5.00';
export const REG_INSTALL_FILE = 'kyso-host-install.reg';
export const REG_UNINSTALL_FILE = 'kyso-host-uninstall.reg';

export type Hive = 'HKCU' | 'HKLM';

export const HIVE_NAMES: Record<Hive, string> = { HKCU: 'HKEY_CURRENT_USER', HKLM: 'HKEY_LOCAL_MACHINE' };

export interface RegistryValue {
  hive: Hive;
  /** Below the hive, e.g. Software\Google\Chrome\NativeMessagingHosts\vn.kyso.host */
  key: string;
  /** The key's default value: the manifest's full path. */
  value: string;
}

/** A REG_SZ value as regedit writes it: in double quotes, backslash and quote escaped. */
export function regString(s: string): string {
  return `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

export function regText(entries: readonly RegistryValue[], variant: 'install' | 'uninstall'): string {
  const lines = [REG_HEADER, '', `; KySo native messaging host ${HOST_NAME}: ${variant === 'install' ? 'registration' : 'removal'}, the same as "kyso ${variant}-host".`, ''];
  for (const e of entries) {
    const path = `${HIVE_NAMES[e.hive]}\\${e.key}`;
    if (variant === 'install') lines.push(`[${path}]`, `@=${regString(e.value)}`, '');
    else lines.push(`[-${path}]`, '');
  }
  return lines.join('\r\n') + '\r\n'; // regedit's own exports end with an empty line
}

/** UTF-16LE with BOM, the encoding regedit exports and reads for version 5.00 files. */
export function encodeUtf16le(text: string): Uint8Array {
  const body = Buffer.from(text, 'utf16le');
  const out = new Uint8Array(2 + body.length);
  out[0] = 0xff;
  out[1] = 0xfe;
  out.set(body, 2);
  return out;
}

export function regFile(entries: readonly RegistryValue[], variant: 'install' | 'uninstall'): Uint8Array {
  return encodeUtf16le(regText(entries, variant));
}

/** True when bytes are one of our .reg files (uninstall removes nothing else). */
export function isOurRegFile(bytes: Uint8Array): boolean {
  if (bytes.length < 2 || bytes[0] !== 0xff || bytes[1] !== 0xfe) return false;
  const text = Buffer.from(bytes.subarray(2)).toString('utf16le');
  return text.startsWith(REG_HEADER) && text.includes(`NativeMessagingHosts\\${HOST_NAME}]`);
}
