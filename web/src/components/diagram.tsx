// SPDX-License-Identifier: MIT
// The straight-line diagram: the border drawn as a horizontal kilometre axis
// with one lane per kind of linear asset (communes, markers, pledges, gaps,
// patrols, road, lights, bamboo). SVG; zoom with the wheel, the buttons or
// +/-; pan by dragging or with the arrow keys.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { tr } from '../i18n';
import { km, num } from '../fmt';

export interface DItem {
  from: number; // metres
  to?: number; // metres; absent: a point
  label?: string;
  cls?: string;
  title?: string;
  onClick?: () => void;
}

export interface Lane {
  id: string;
  label: string;
  items: DItem[];
  missing?: boolean; // the data is not available on this server
}

const LANE_H = 30;
const AXIS_H = 34;
const LABEL_W = 110;

function niceStep(spanKm: number, px: number): number {
  const target = spanKm / Math.max(2, px / 90);
  const p = Math.pow(10, Math.floor(Math.log10(target)));
  for (const m of [1, 2, 5, 10]) if (m * p >= target) return m * p;
  return 10 * p;
}

export function Diagram({ length, lanes, view: initial, onView, children }: { length: number; lanes: Lane[]; view?: [number, number]; onView?: (v: [number, number]) => void; children?: ComponentChildren }) {
  const wrap = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  const [view, setViewRaw] = useState<[number, number]>(initial ?? [0, length]);
  const drag = useRef<{ x: number; v: [number, number] } | null>(null);

  useEffect(() => {
    if (initial) setViewRaw(initial);
  }, [initial?.[0], initial?.[1]]);
  useEffect(() => {
    if (!initial) setViewRaw([0, length]);
  }, [length]);
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(320, el.clientWidth)));
    ro.observe(el);
    setWidth(Math.max(320, el.clientWidth));
    return () => ro.disconnect();
  }, []);

  const plotW = width - LABEL_W - 8;
  const setView = (v: [number, number]) => {
    let [a, b] = v;
    const minSpan = 50;
    if (b - a < minSpan) {
      const c = (a + b) / 2;
      a = c - minSpan / 2;
      b = c + minSpan / 2;
    }
    const span = Math.min(b - a, length);
    if (a < 0) a = 0;
    b = a + span;
    if (b > length) {
      b = length;
      a = length - span;
    }
    setViewRaw([a, b]);
    onView?.([a, b]);
  };
  const x = (m: number) => LABEL_W + ((m - view[0]) / (view[1] - view[0])) * plotW;
  const zoom = (f: number, atM?: number) => {
    const c = atM ?? (view[0] + view[1]) / 2;
    setView([c - (c - view[0]) * f, c + (view[1] - c) * f]);
  };
  const pan = (fr: number) => {
    const d = (view[1] - view[0]) * fr;
    setView([view[0] + d, view[1] + d]);
  };

  const spanKm = (view[1] - view[0]) / 1000;
  const step = niceStep(spanKm, plotW);
  const ticks: number[] = [];
  for (let k = Math.ceil(view[0] / 1000 / step) * step; k <= view[1] / 1000 + 1e-9; k += step) ticks.push(k);
  const digits = step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
  const height = AXIS_H + lanes.length * LANE_H + 6;

  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const rect = (e.currentTarget as SVGElement).getBoundingClientRect();
    const px = e.clientX - rect.left - LABEL_W;
    const at = view[0] + (px / plotW) * (view[1] - view[0]);
    zoom(e.deltaY > 0 ? 1.25 : 0.8, Math.max(view[0], Math.min(view[1], at)));
  };
  const onDown = (e: PointerEvent) => {
    if ((e.target as Element).closest('.d-item[data-click]')) return;
    drag.current = { x: e.clientX, v: view };
    (e.currentTarget as Element).setPointerCapture?.(e.pointerId);
  };
  const onMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const dm = ((d.x - e.clientX) / plotW) * (d.v[1] - d.v[0]);
    setView([d.v[0] + dm, d.v[1] + dm]);
  };
  const onUp = () => {
    drag.current = null;
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === '+' || e.key === '=') zoom(0.7);
    else if (e.key === '-') zoom(1 / 0.7);
    else if (e.key === 'ArrowLeft') pan(-0.2);
    else if (e.key === 'ArrowRight') pan(0.2);
    else if (e.key === '0' || e.key === 'Home') setView([0, length]);
    else return;
    e.preventDefault();
  };

  return (
    <div class="diagram" ref={wrap}>
      <div class="diagram-tools" role="toolbar" aria-label={tr('Thu phóng sơ đồ', 'Diagram zoom')}>
        <button type="button" onClick={() => zoom(0.5)} aria-label={tr('Phóng to', 'Zoom in')}>+</button>
        <button type="button" onClick={() => zoom(2)} aria-label={tr('Thu nhỏ', 'Zoom out')}>−</button>
        <button type="button" onClick={() => pan(-0.3)} aria-label={tr('Sang trái', 'Pan left')}>◀</button>
        <button type="button" onClick={() => pan(0.3)} aria-label={tr('Sang phải', 'Pan right')}>▶</button>
        <button type="button" onClick={() => setView([0, length])}>{tr('Toàn tuyến', 'Whole border')}</button>
        <span class="muted small" data-testid="diagram-view">
          km {km(view[0])} – {km(view[1])}
        </span>
        {children}
      </div>
      <svg
        class="diagram-svg"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={tr('Sơ đồ thẳng tuyến biên giới', 'Straight-line diagram of the border')}
        {...({ tabindex: '0' } as Record<string, string>)}
        onWheel={onWheel}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerCancel={onUp}
        onKeyDown={onKey}
      >
        <defs>
          <clipPath id="d-plot">
            <rect x={LABEL_W} y={0} width={plotW + 1} height={height} />
          </clipPath>
        </defs>
        {ticks.map((k) => (
          <g class="d-tick">
            <line x1={x(k * 1000)} x2={x(k * 1000)} y1={AXIS_H - 6} y2={height} />
            <text x={x(k * 1000)} y={AXIS_H - 10} text-anchor="middle">
              {num(k, digits)}
            </text>
          </g>
        ))}
        <text x={4} y={AXIS_H - 10} class="d-axis-label">km</text>
        {lanes.map((lane, i) => {
          const y = AXIS_H + i * LANE_H;
          const vis = lane.items.filter((it) => (it.to ?? it.from) >= view[0] && it.from <= view[1]);
          const pts = vis.filter((it) => it.to === undefined);
          // label points left to right, skipping those too close to the last label
          const labelled = new Set<DItem>();
          let lastX = -1e9;
          for (const it of pts) {
            const px = x(it.from);
            if (it.label && px - lastX >= it.label.length * 6 + 8) {
              labelled.add(it);
              lastX = px;
            }
          }
          return (
            <g class={`d-lane lane-${lane.id}`} data-lane={lane.id} data-count={vis.length}>
              <rect class="d-lane-bg" x={LABEL_W} y={y + 2} width={plotW} height={LANE_H - 4} />
              <text class="d-lane-label" x={4} y={y + LANE_H / 2 + 4}>
                {lane.label}
              </text>
              {lane.missing && (
                <text class="d-missing" x={LABEL_W + 6} y={y + LANE_H / 2 + 4}>
                  {tr('chưa có dữ liệu', 'not available')}
                </text>
              )}
              <g clip-path="url(#d-plot)">
                {vis.map((it, j) => {
                  const click = it.onClick
                    ? { 'data-click': '1', onClick: it.onClick, onKeyDown: (e: KeyboardEvent) => e.key === 'Enter' && it.onClick!(), ...({ tabindex: '0' } as Record<string, string>) }
                    : {};
                  if (it.to === undefined) {
                    const px = x(it.from);
                    return (
                      <g class={`d-item d-point ${it.cls ?? ''}`} {...click}>
                        <title>{it.title ?? it.label}</title>
                        <line x1={px} x2={px} y1={y + 5} y2={y + LANE_H - 5} />
                        {labelled.has(it) && (
                          <text x={px + 2} y={y + 12} class="d-point-label">
                            {it.label}
                          </text>
                        )}
                      </g>
                    );
                  }
                  const x0 = x(it.from), x1 = x(it.to);
                  const w = Math.max(1.5, x1 - x0);
                  return (
                    <g class={`d-item d-span ${it.cls ?? ''}`} key={j} {...click}>
                      <title>{it.title ?? it.label}</title>
                      <rect x={x0} y={y + 5} width={w} height={LANE_H - 10} rx={2} />
                      {it.label && w > it.label.length * 7 + 6 && (
                        <text x={x0 + 3} y={y + LANE_H / 2 + 4} class="d-span-label">
                          {it.label}
                        </text>
                      )}
                    </g>
                  );
                })}
              </g>
            </g>
          );
        })}
      </svg>
      <p class="muted small">
        {tr('Lăn chuột hoặc phím +/− để thu phóng, kéo hoặc phím ←/→ để di chuyển.', 'Wheel or +/− to zoom, drag or ←/→ to pan.')}
      </p>
    </div>
  );
}
