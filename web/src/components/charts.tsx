// SPDX-License-Identifier: MIT
// Small inline SVG charts for year-by-year series: a bar chart with a value
// label on each bar, and grouped bars for two series. No chart library.
import { tr } from '../i18n';

export interface Series {
  label: string;
  cls: string;
  values: number[];
}

export function BarChart({ years, series, fmt, title, max }: { years: (string | number)[]; series: Series[]; fmt: (x: number) => string; title: string; max?: number }) {
  const W = 560, H = 220, L = 8, B = 26, T = 22;
  const top = max ?? Math.max(1, ...series.flatMap((s) => s.values));
  const gw = (W - L * 2) / Math.max(1, years.length);
  const bw = Math.max(6, (gw - 10) / series.length);
  const y = (v: number) => T + (H - T - B) * (1 - v / top);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} preserveAspectRatio="xMidYMid meet">
        <line class="c-axis" x1={L} x2={W - L} y1={H - B} y2={H - B} />
        {years.map((yr, i) => (
          <g>
            {series.map((s, j) => {
              const v = s.values[i] ?? 0;
              const x0 = L + i * gw + 5 + j * bw;
              return (
                <g class={`c-bar ${s.cls}`}>
                  <title>{`${s.label} ${yr}: ${fmt(v)}`}</title>
                  <rect x={x0} y={y(v)} width={bw - 2} height={Math.max(0, H - B - y(v))} />
                  <text x={x0 + (bw - 2) / 2} y={y(v) - 4} text-anchor="middle" class="c-val">
                    {fmt(v)}
                  </text>
                </g>
              );
            })}
            <text x={L + i * gw + gw / 2} y={H - 8} text-anchor="middle" class="c-year">
              {String(yr)}
            </text>
          </g>
        ))}
      </svg>
      {series.length > 1 && (
        <div class="legend">
          {series.map((s) => (
            <span class={`key ${s.cls}`}>{s.label}</span>
          ))}
        </div>
      )}
      <span class="sr-only">{tr('Biểu đồ theo năm', 'Chart by year')}</span>
    </figure>
  );
}
