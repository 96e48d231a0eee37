import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import { useEffect, useRef, useState } from 'react';

// Only what the page draws, so the bundle carries bar and line charts and nothing else of Chart.js.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Filler,
  Legend,
  Tooltip,
);

/** The page's colours, read from its CSS variables so the charts follow the light or dark theme. */
export interface ChartTheme {
  fg: string;
  muted: string;
  line: string;
  series: string[];
  font: string;
}

function themeOf(el: Element): ChartTheme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--fg', '#1f1f1f'),
    muted: v('--muted', '#5f6368'),
    line: v('--line', '#dadce0'),
    series: [1, 2, 3, 4, 5, 6].map((i) => v(`--tla-c${i}`, '#1a73e8')),
    font: css.fontFamily || 'system-ui, sans-serif',
  };
}

function useColorScheme(): string {
  const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;
  const [dark, setDark] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const onChange = () => setDark(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, [query]);
  return dark ? 'dark' : 'light';
}

/** Writes each bar's value at its end (the funnel and the leaderboard read better with numbers on the bars). */
export const barLabels = (text: (datasetIndex: number, index: number) => string): Plugin<'bar'> => ({
  id: 'tla-bar-labels',
  afterDatasetsDraw(chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = String(chart.options.color ?? '#000');
    ctx.font = `12px ${String(Chart.defaults.font.family)}`;
    ctx.textBaseline = 'middle';
    chart.data.datasets.forEach((_, d) => {
      const meta = chart.getDatasetMeta(d);
      if (meta.hidden) return;
      meta.data.forEach((bar, i) => {
        const { x, y } = bar.getProps(['x', 'y'], true) as { x: number; y: number };
        ctx.fillText(text(d, i), x + 6, y);
      });
    });
    ctx.restore();
  },
});

interface Props {
  /** What the chart shows, for screen readers (the table view has the numbers). */
  label: string;
  height: number;
  /** Memoise it: a new function redraws the chart. */
  config: (theme: ChartTheme) => ChartConfiguration;
}

/**
 * A thin wrapper over Chart.js: one canvas, the chart created after mount and destroyed on unmount or when its
 * config or the colour scheme changes. Without a 2D context (happy-dom in unit tests) it draws nothing.
 */
export function ChartCanvas({ label, height, config }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const scheme = useColorScheme();
  useEffect(() => {
    const canvas = ref.current;
    let ctx: CanvasRenderingContext2D | null = null;
    try {
      ctx = canvas?.getContext('2d') ?? null;
    } catch {
      ctx = null;
    }
    if (!canvas || !ctx) return;
    const theme = themeOf(canvas);
    Chart.defaults.font.family = theme.font;
    Chart.defaults.color = theme.muted;
    Chart.defaults.borderColor = theme.line;
    const chart = new Chart(ctx, config(theme));
    return () => chart.destroy();
  }, [config, scheme]);
  return (
    <div className="tla-chart" style={{ height }}>
      <canvas ref={ref} role="img" aria-label={label} />
    </div>
  );
}
