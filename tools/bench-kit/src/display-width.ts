/** Characters a terminal or formatter draws two columns wide: CJK, Hangul, full-width forms, emoji. */
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u;

/** Combining marks and zero-width characters, which take no column of their own. */
const ZERO_WIDTH = /^(?:\p{Mn}|\p{Me}|[\u200B-\u200F]|\uFE0F)$/u;

/**
 * How many monospace columns `text` occupies: wide characters count two, combining marks none.
 * Used to pad tables the way Biome's markdown formatter does, so generated tables pass `biome check`.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) {
    if (ZERO_WIDTH.test(character)) continue;
    width += WIDE.test(character) ? 2 : 1;
  }
  return width;
}

/** Pads `text` with spaces to `width` display columns, on the right or (for `'right'`) the left. */
export function padToWidth(text: string, width: number, align: 'left' | 'right'): string {
  const padding = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? padding + text : text + padding;
}
