/**
 * WCAG 2 contrast (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio) for colours as Adaptive Cards
 * host configs write them (`#RRGGBB`, `#AARRGGBB` with alpha first) and as browsers compute them
 * (`rgb(r, g, b)`, `rgba(r, g, b, a)`).
 */
type Rgba = [number, number, number, number];

function parseColor(color: string): Rgba {
  const fn = /^rgba?\(([^)]+)\)$/.exec(color.trim());
  if (fn) {
    const [r = 0, g = 0, b = 0, a = 1] = fn[1]!.split(/[\s,/]+/).map(Number);
    return [r, g, b, a];
  }
  const h = color.replace('#', '');
  const [a, rgb] = h.length === 8 ? [parseInt(h.slice(0, 2), 16) / 255, h.slice(2)] : [1, h];
  return [parseInt(rgb.slice(0, 2), 16), parseInt(rgb.slice(2, 4), 16), parseInt(rgb.slice(4, 6), 16), a];
}

/** A translucent colour as drawn over an opaque background. */
function over([r, g, b, a]: Rgba, [br, bg, bb]: Rgba): Rgba {
  return [r * a + br * (1 - a), g * a + bg * (1 - a), b * a + bb * (1 - a), 1];
}

function luminance([r, g, b]: Rgba): number {
  const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Contrast ratio of text colour `fg` (possibly translucent) on the opaque background `bg`. */
export function contrast(fg: string, bg: string): number {
  const back = parseColor(bg);
  const [l1, l2] = [luminance(over(parseColor(fg), back)), luminance(back)];
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}
