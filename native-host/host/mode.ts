// Is this process the native messaging host? Chrome and Edge start the host with the caller's origin as the first
// argument ("chrome-extension://ID/"), and on Windows add "--parent-window=HWND". Nothing else is imported here, so
// main.ts can decide before any other module runs.

export const ORIGIN_PREFIX = 'chrome-extension://';

export function isHostInvocation(args: readonly string[]): boolean {
  return typeof args[0] === 'string' && args[0].startsWith(ORIGIN_PREFIX);
}

/** The caller origin; the other arguments (--parent-window=…, anything a later browser adds) are ignored. */
export function callerOrigin(args: readonly string[]): string {
  return args[0] ?? '';
}
