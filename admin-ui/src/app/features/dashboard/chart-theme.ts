import type { ChartOptions } from 'chart.js';

/** Colours of the charts, resolved from the Material theme of the current scheme (light or dark). */
export interface ChartPalette {
  text: string;
  grid: string;
  surface: string;
  series: string[];
}

/** Custom properties can hold light-dark(...): a probe element resolves them to the colour in use. */
export function resolveColor(host: HTMLElement, cssColor: string): string {
  const probe = host.ownerDocument.createElement('span');
  probe.style.display = 'none';
  probe.style.color = cssColor;
  host.appendChild(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color;
}

/** The series colours are --chart-1..--chart-6 of the dashboard's styles (each a light-dark pair). */
export function readPalette(host: HTMLElement): ChartPalette {
  return {
    text: resolveColor(host, 'var(--mat-sys-on-surface-variant)'),
    grid: resolveColor(host, 'var(--mat-sys-outline-variant)'),
    surface: resolveColor(host, 'var(--mat-sys-surface-container-high)'),
    series: [1, 2, 3, 4, 5, 6, 7].map((i) => resolveColor(host, `var(--chart-${i})`)),
  };
}

export function baseOptions(p: ChartPalette, stacked: boolean): ChartOptions<'bar' | 'line'> {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    color: p.text,
    plugins: {
      legend: { position: 'bottom', labels: { color: p.text, boxWidth: 12, boxHeight: 12, usePointStyle: true } },
      tooltip: {
        backgroundColor: p.surface,
        titleColor: p.text,
        bodyColor: p.text,
        borderColor: p.grid,
        borderWidth: 1,
      },
    },
    scales: {
      x: {
        stacked,
        grid: { display: false },
        border: { color: p.grid },
        ticks: { color: p.text, maxRotation: 0, autoSkip: true, maxTicksLimit: 8 },
      },
      y: {
        stacked,
        beginAtZero: true,
        grid: { color: p.grid },
        border: { display: false },
        ticks: { color: p.text, precision: 0 },
      },
    },
  };
}
