/**
 * Renders the extension's icons from their one source, scripts/icons/threadline.svg, into public/icon/:
 * `16.png` … `128.png` (WXT lists them as the manifest's icons) and `on-hold-16.png` … (the toolbar icon
 * while sends are on hold, lib/platform/action-icon.ts). Run it after changing the SVG and commit the PNGs:
 *   npx tsx scripts/render-icons.ts
 * resvg ships its renderer as a prebuilt binary inside the npm package, so no system library is needed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const ICON_SIZES = [16, 32, 48, 128] as const;
const SOURCE = path.resolve('scripts/icons/threadline.svg');
const OUT = path.resolve('public/icon');

/** The on-hold variant: the same drawing with a grey tile and the pause badge shown (CSS beats attributes). */
const ON_HOLD_STYLE = '<style>#tile { fill: #5B6478 } #on-hold { display: inline }</style>';

function variants(svg: string): Record<'normal' | 'onHold', string> {
  const close = svg.lastIndexOf('</svg>');
  if (!svg.includes('id="tile"') || !svg.includes('id="on-hold"') || close < 0)
    throw new Error(`${SOURCE} must contain #tile and #on-hold (the on-hold variant restyles them)`);
  return { normal: svg, onHold: `${svg.slice(0, close)}${ON_HOLD_STYLE}${svg.slice(close)}` };
}

function render(svg: string, size: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
}

function main(): void {
  const { normal, onHold } = variants(fs.readFileSync(SOURCE, 'utf8'));
  fs.mkdirSync(OUT, { recursive: true });
  for (const size of ICON_SIZES) {
    fs.writeFileSync(path.join(OUT, `${size}.png`), render(normal, size));
    fs.writeFileSync(path.join(OUT, `on-hold-${size}.png`), render(onHold, size));
  }
  console.log(`Wrote ${ICON_SIZES.length * 2} icons to ${path.relative(process.cwd(), OUT)}/`);
}

main();
