// The box where the signature goes, over the page preview: dragged anywhere on any page, resized from its bottom
// right handle (keeping the image's proportions). Its data-* attributes give the box in PDF points, display space,
// origin top left (what placement {kind:'rect'} takes).

import { useRef, useState } from 'preact/hooks';
import type { PlacedBox } from '@kyso/shared/sign/preview';
import type { DisplayRect } from '@kyso/shared/placement/geometry';
import { useTexts } from '../../shared/i18n.ts';
import { SIGN_TEXTS } from './texts.ts';

export interface PlacementBoxProps {
  box: PlacedBox;
  scale: number;
  /** width / height to keep while resizing (image modes); undefined: free. */
  aspect?: number;
  label: string;
  /** The page element (the canvas's wrapper) of each page, to find the page a drop lands on. */
  pageElement(pageIndex: number): HTMLElement | null;
  pageCount: number;
  /** The box as dropped: page and rectangle in points; the page keeps it inside the page. */
  onChange(box: PlacedBox): void;
}

type Gesture = { kind: 'move' | 'resize'; x0: number; y0: number; start: DisplayRect; pointerId: number };

const MIN = 12;
const r2 = (v: number) => (Math.round(v * 100) / 100).toString();

export function PlacementBox({ box, scale, aspect, label, pageElement, pageCount, onChange }: PlacementBoxProps) {
  const t = useTexts(SIGN_TEXTS);
  const [live, setLive] = useState<DisplayRect | null>(null);
  const gesture = useRef<Gesture | null>(null);
  const rect = live ?? box.rect;

  const begin = (kind: Gesture['kind']) => (e: PointerEvent) => {
    e.preventDefault();
    e.stopPropagation();
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    gesture.current = { kind, x0: e.clientX, y0: e.clientY, start: box.rect, pointerId: e.pointerId };
    setLive(box.rect);
  };
  const move = (e: PointerEvent) => {
    const g = gesture.current;
    if (!g || g.pointerId !== e.pointerId) return;
    const dx = (e.clientX - g.x0) / scale;
    const dy = (e.clientY - g.y0) / scale;
    if (g.kind === 'move') setLive({ ...g.start, x: g.start.x + dx, y: g.start.y + dy });
    else {
      const w = Math.max(MIN, g.start.w + dx);
      const h = aspect ? w / aspect : Math.max(MIN, g.start.h + dy);
      setLive({ ...g.start, w, h });
    }
  };
  const end = (e: PointerEvent) => {
    const g = gesture.current;
    if (!g || g.pointerId !== e.pointerId) return;
    gesture.current = null;
    const r = live ?? g.start;
    setLive(null);
    // The page under the box's centre takes it (dragging onto the next page moves it there).
    const home = pageElement(box.pageIndex)?.getBoundingClientRect();
    if (!home) return;
    const cx = home.left + (r.x + r.w / 2) * scale;
    const cy = home.top + (r.y + r.h / 2) * scale;
    let target = box.pageIndex;
    let targetRect = home;
    for (let i = 0; i < pageCount; i++) {
      const pr = pageElement(i)?.getBoundingClientRect();
      if (pr && cx >= pr.left && cx <= pr.right && cy >= pr.top && cy <= pr.bottom) {
        target = i;
        targetRect = pr;
        break;
      }
    }
    const x = (home.left + r.x * scale - targetRect.left) / scale;
    const y = (home.top + r.y * scale - targetRect.top) / scale;
    const pw = targetRect.width / scale;
    const ph = targetRect.height / scale;
    const w = Math.min(r.w, pw);
    const h = Math.min(r.h, ph);
    onChange({ pageIndex: target, rect: { x: Math.min(Math.max(x, 0), pw - w), y: Math.min(Math.max(y, 0), ph - h), w, h } });
  };

  // Arrow keys move the box by a point (Shift: ten), for those who do not drag.
  const key = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 10 : 1;
    const d: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const m = d[e.key];
    if (!m) return;
    e.preventDefault();
    const el = pageElement(box.pageIndex)?.getBoundingClientRect();
    const pw = el ? el.width / scale : Infinity;
    const ph = el ? el.height / scale : Infinity;
    const r = box.rect;
    onChange({ pageIndex: box.pageIndex, rect: { ...r, x: Math.min(Math.max(r.x + m[0], 0), pw - r.w), y: Math.min(Math.max(r.y + m[1], 0), ph - r.h) } });
  };

  return (
    <div
      class={`placement-box${live ? ' dragging' : ''}`}
      tabIndex={0}
      role="button"
      aria-label={t('boxLabel', { label })}
      onKeyDown={key}
      data-testid="placement-box"
      data-page={box.pageIndex + 1}
      data-x={r2(rect.x)}
      data-y={r2(rect.y)}
      data-w={r2(rect.w)}
      data-h={r2(rect.h)}
      title={t('boxTitle')}
      style={{ left: `${rect.x * scale}px`, top: `${rect.y * scale}px`, width: `${rect.w * scale}px`, height: `${rect.h * scale}px` }}
      onPointerDown={begin('move')}
      onPointerMove={move}
      onPointerUp={end}
      onPointerCancel={end}
    >
      <span class="placement-label">{label}</span>
      <span class="placement-handle" data-testid="placement-handle" onPointerDown={begin('resize')} onPointerMove={move} onPointerUp={end} onPointerCancel={end} />
    </div>
  );
}
