// base64 without Buffer, for the extension (pages and portal script) and Node alike. No dependencies: the portal
// script imports it into every portal frame.
// btoa/atob (browsers and Node) over 32 KiB chunks: documents of many megabytes cross the extension's messages
// as base64, so this is on the signing path.

const B64_CHUNK = 0x8000;

export function toBase64(b: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < b.length; i += B64_CHUNK) parts.push(String.fromCharCode(...b.subarray(i, i + B64_CHUNK)));
  return btoa(parts.join(''));
}

/** Whitespace (PEM line breaks) is ignored; anything else that is not base64 throws. */
export function fromBase64(s: string): Uint8Array {
  const clean = s.replace(/\s/g, '');
  if (/[^A-Za-z0-9+/=]/.test(clean) || /=[^=]/.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) throw new Error('Invalid base64');
  let bin: string;
  try {
    bin = atob(clean.replace(/=+$/, ''));
  } catch {
    throw new Error('Invalid base64');
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
