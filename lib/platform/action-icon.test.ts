// @vitest-environment node
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { iconPaths, type IconState } from './action-icon';

/** A PNG's width and height, from its IHDR chunk (bytes 16-23, big-endian). */
function pngSize(file: string): { width: number; height: number } {
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the toolbar icons', () => {
  it.each<IconState>(['normal', 'on_hold'])(
    'packages every %s icon setIcon names, at the size it is named for',
    (state) => {
      for (const [size, icon] of Object.entries(iconPaths(state))) {
        const file = path.resolve('public', icon.slice(1));
        expect(fs.existsSync(file), `${file} is missing: run npx tsx scripts/render-icons.ts`).toBe(true);
        expect(pngSize(file)).toEqual({ width: Number(size), height: Number(size) });
      }
    },
  );

  it('tells the held icon from the normal one', () => {
    expect(iconPaths('on_hold')['16']).not.toBe(iconPaths('normal')['16']);
  });
});
