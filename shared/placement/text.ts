// Page text as placement needs it: lines of characters with their positions in display space. The source of the
// runs (pdf.js in the extension and in the host) is outside this module; see pdfjs-text.ts.

import type { DisplayRect, PageFrame } from './geometry.ts';
import { toDisplay } from './geometry.ts';

/** A run of text as a text extractor reports it: user-space transform [a b c d e f] and advance width. */
export interface TextRun {
  str: string;
  transform: [number, number, number, number, number, number];
  width: number;
}

/** One character of a line, in display space. */
export interface PlacedChar {
  ch: string;
  x: number;
  w: number;
}

export interface TextLine {
  pageIndex: number;
  /** Characters in reading order; a single ' ' is inserted where runs are apart but carry no space. */
  chars: PlacedChar[];
  text: string;
  /** Baseline in display space (y down). */
  baseline: number;
  fontSize: number;
}

/** Relative advance of a character in em units; placement only needs proportions within a run. */
export type CharWidth = (ch: string) => number;

const uniformWidth: CharWidth = (ch) => (ch === ' ' ? 0.25 : 0.5);

/** Groups runs into display-space lines; runs that are not upright on screen (vertical or turned text) are left out. */
export function buildLines(frame: PageFrame, pageIndex: number, runs: TextRun[], charWidth: CharWidth = uniformWidth): TextLine[] {
  interface Placed {
    x: number;
    baseline: number;
    width: number;
    size: number;
    str: string;
  }
  const placed: Placed[] = [];
  for (const r of runs) {
    if (!r.str) continue;
    const [a, b, c, d, e, f] = r.transform;
    const size = Math.hypot(c, d) || Math.hypot(a, b);
    if (!(size > 0)) continue;
    const [ox, oy] = toDisplay(frame, e, f);
    const len = Math.hypot(a, b) || 1;
    const [dx, dy] = toDisplay(frame, e + a / len, f + b / len);
    const ux = dx - ox;
    const uy = dy - oy;
    if (ux < 0.9 || Math.abs(uy) > 0.1) continue; // not left-to-right horizontal as displayed
    placed.push({ x: ox, baseline: oy, width: Math.abs(r.width), size, str: r.str });
  }
  placed.sort((p, q) => p.baseline - q.baseline || p.x - q.x);

  const lines: TextLine[] = [];
  let group: Placed[] = [];
  const flush = () => {
    if (group.length === 0) return;
    group.sort((p, q) => p.x - q.x);
    const chars: PlacedChar[] = [];
    let size = 0;
    for (const g of group) {
      size = Math.max(size, g.size);
      const prev = chars[chars.length - 1];
      if (prev && g.x - (prev.x + prev.w) > 0.15 * g.size && prev.ch !== ' ' && !g.str.startsWith(' ')) {
        chars.push({ ch: ' ', x: prev.x + prev.w, w: g.x - (prev.x + prev.w) });
      }
      const cs = Array.from(g.str.normalize("NFC"));
      const units = cs.map((ch) => charWidth(ch));
      const total = units.reduce((s, u) => s + u, 0) || 1;
      let x = g.x;
      for (let i = 0; i < cs.length; i++) {
        const w = (g.width * units[i]) / total;
        chars.push({ ch: cs[i], x, w });
        x += w;
      }
    }
    lines.push({ pageIndex, chars, text: chars.map((c) => c.ch).join(''), baseline: group[0].baseline, fontSize: size });
    group = [];
  };
  for (const p of placed) {
    const head = group[0];
    if (head && Math.abs(p.baseline - head.baseline) > 0.35 * Math.max(head.size, p.size)) flush();
    group.push(p);
  }
  flush();
  return lines;
}

/** The box of characters [from, to) of a line: from a little below the baseline to the top of capitals and accents. */
export function spanRect(line: TextLine, from: number, to: number): DisplayRect {
  const first = line.chars[from];
  const last = line.chars[Math.max(from, to - 1)];
  const fs = line.fontSize;
  const top = line.baseline - 1.0 * fs;
  return { x: first.x, y: top, w: last.x + last.w - first.x, h: 1.25 * fs };
}

/** Case- and diacritic-sensitive search after Unicode NFC; returns start indices into line.chars. */
export function findInLine(line: TextLine, needle: string, ignoreCase = true): number[] {
  const hay = ignoreCase ? line.text.toLowerCase() : line.text;
  const n = ignoreCase ? needle.toLowerCase() : needle;
  const hits: number[] = [];
  // line.text is built from whole code points, so string indices equal char indices only when no astral chars occur.
  const cps = Array.from(hay);
  const ncp = Array.from(n);
  outer: for (let i = 0; i + ncp.length <= cps.length; i++) {
    for (let j = 0; j < ncp.length; j++) if (cps[i + j] !== ncp[j]) continue outer;
    hits.push(i);
  }
  return hits;
}
