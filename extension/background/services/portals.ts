// Where the extension runs: the portals of the settings (policy key `portals`, else the user's list, else the
// defaults, which name the demo portal on 127.0.0.1) as Chrome match patterns. The content scripts are registered
// for exactly these patterns; a message from a content script is checked against them again.

/** True when the URL matches one of the match patterns ("https://qlvb.example.gov.vn/*", "*://*.gov.vn/*"). */
export function portalAllowed(url: string, patterns: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return patterns.some((p) => matchPattern(p, u));
}

const PATTERN = /^(\*|https?|file):\/\/(\*|\*\.[^/*:]+|[^/*:]+)?(?::(\*|\d+))?(\/.*)$/;

export function matchPattern(pattern: string, u: URL): boolean {
  if (pattern === '<all_urls>') return u.protocol === 'http:' || u.protocol === 'https:';
  const m = PATTERN.exec(pattern);
  if (!m) return false;
  const [, scheme, host = '', port, path] = m;
  const proto = u.protocol.slice(0, -1);
  if (scheme === '*' ? proto !== 'http' && proto !== 'https' : scheme !== proto) return false;
  if (host !== '*') {
    if (host.startsWith('*.')) {
      const base = host.slice(2).toLowerCase();
      if (u.hostname !== base && !u.hostname.endsWith(`.${base}`)) return false;
    } else if (u.hostname !== host.toLowerCase()) return false;
  }
  if (port !== undefined && port !== '*' && u.port !== port && !(u.port === '' && ((proto === 'http' && port === '80') || (proto === 'https' && port === '443')))) return false;
  const re = new RegExp(`^${path.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(u.pathname + u.search);
}

/** The demo portal (`npm start`) serves on 127.0.0.1; allowed unless IT's policy names the portals itself. */
export const DEMO_PORTALS: readonly string[] = ['http://127.0.0.1/*'];

export function effectivePortals(portals: readonly string[], setByPolicy: boolean): string[] {
  return setByPolicy ? [...portals] : [...new Set([...portals, ...DEMO_PORTALS])];
}

/** Patterns Chrome's scripting and contextMenus APIs accept (one bad pattern makes them refuse the whole list). */
export function isMatchPattern(p: string): boolean {
  return p === '<all_urls>' || PATTERN.test(p);
}

/** The allowlist of the current settings, as the content scripts and the context menu use it. */
export async function currentPortals(policy: { settings(): Promise<{ values: { portals: string[] }; state: { portals: { locked: boolean } } }> }): Promise<string[]> {
  const s = await policy.settings();
  return effectivePortals(s.values.portals, s.state.portals.locked).filter(isMatchPattern);
}
