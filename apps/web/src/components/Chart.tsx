import 'uplot/dist/uPlot.min.css';

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

import { cssVariable } from '../layout/theme';

export interface ChartSeries {
  label: string;
  /** One value per x; null is a gap (NaN, ±∞ and missing points are nulls). */
  values: (number | null)[];
  /** A shaded band between two other series (mean with min/max), drawn under this one. */
  band?: { lower: (number | null)[]; upper: (number | null)[] };
}

export interface ChartProps {
  title: string;
  xLabel: string;
  x: number[];
  series: ChartSeries[];
  height?: number;
  /** x values to mark with a vertical line (the best round). */
  markers?: { x: number; label: string }[];
  /** Called with the visible x range after the user zooms (drag) or resets (double-click). */
  onZoom?: (range: { min: number; max: number } | null) => void;
}

const PALETTE = Array.from({ length: 8 }, (_, i) => `--series-${i + 1}`);

/** The i-th series colour of the current theme. */
export function seriesColor(index: number): string {
  return cssVariable(PALETTE[index % PALETTE.length]) || '#1f6feb';
}

function markerPlugin(markers: NonNullable<ChartProps['markers']>): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = cssVariable('--ok');
        ctx.fillStyle = cssVariable('--ok');
        ctx.lineWidth = 2 * devicePixelRatio;
        ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
        ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
        for (const marker of markers) {
          const left = u.valToPos(marker.x, 'x', true);
          if (left < u.bbox.left || left > u.bbox.left + u.bbox.width) continue;
          ctx.beginPath();
          ctx.moveTo(left, u.bbox.top);
          ctx.lineTo(left, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.fillText(
            marker.label,
            left + 4 * devicePixelRatio,
            u.bbox.top + 14 * devicePixelRatio,
          );
        }
        ctx.restore();
      },
    },
  };
}

/**
 * A uPlot canvas chart (100k points draw in milliseconds): drag to zoom, double-click to reset,
 * colours from the theme. The data and options are rebuilt when the props change; the canvas
 * follows its container's width.
 */
export function Chart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const { title, xLabel, x, series, height = 260, markers, onZoom } = props;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const axis = cssVariable('--chart-axis');
    const grid = cssVariable('--chart-grid');
    const uSeries: uPlot.Series[] = [{ label: xLabel }];
    const data: uPlot.AlignedData[number][] = [x];
    const bands: uPlot.Band[] = [];
    series.forEach((s, i) => {
      const color = seriesColor(i);
      if (s.band) {
        const lowerIndex = data.length;
        data.push(s.band.lower, s.band.upper);
        uSeries.push(
          { label: `${s.label} min`, stroke: color, width: 0, points: { show: false } },
          { label: `${s.label} max`, stroke: color, width: 0, points: { show: false } },
        );
        bands.push({ series: [lowerIndex + 1, lowerIndex], fill: color + '33' });
      }
      data.push(s.values);
      uSeries.push({
        label: s.label,
        stroke: color,
        width: 2,
        spanGaps: false,
        points: { show: x.length <= 60, size: 6 },
      });
    });
    const options: uPlot.Options = {
      title,
      width: element.clientWidth || 600,
      height,
      series: uSeries,
      bands,
      scales: { x: { time: false } },
      axes: [
        { label: xLabel, stroke: axis, grid: { stroke: grid }, ticks: { stroke: grid } },
        { stroke: axis, grid: { stroke: grid }, ticks: { stroke: grid }, size: 60 },
      ],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      plugins: markers && markers.length > 0 ? [markerPlugin(markers)] : [],
      hooks: {
        // uPlot zooms a drag itself and clears the selection without firing setSelect, so a
        // narrower x scale is the zoom signal; the reset is the double-click (a rebuilt chart also
        // sets its full extent, which is not a reset).
        setScale: [
          (u, key) => {
            if (key !== 'x') return;
            const { min, max } = u.scales.x;
            if (min === undefined || max === undefined) return;
            if (min > x[0] || max < x[x.length - 1]) onZoom?.({ min, max });
          },
        ],
        ready: [(u) => u.over.addEventListener('dblclick', () => onZoom?.(null))],
      },
    };
    const plot = new uPlot(options, data as uPlot.AlignedData, element);
    const observer = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [title, xLabel, x, series, height, markers, onZoom]);

  return (
    <figure className="chart-card card" aria-label={`Chart: ${title}`}>
      <div
        ref={box}
        role="img"
        aria-label={`${title}: ${series.map((s) => s.label).join(', ')} over ${xLabel}`}
      />
      <figcaption className="muted">
        {series.length} series, {x.length} points each · drag to zoom, double-click to reset
      </figcaption>
    </figure>
  );
}
