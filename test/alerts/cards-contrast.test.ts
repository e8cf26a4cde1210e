/**
 * Severity headers readable in Teams' light and dark themes: the contrast of each header's text on
 * its background, computed from Teams' own host configs (test/fixtures/adaptivecards/) with the
 * WCAG 2 formula (test/helpers/contrast.ts). 4.5:1 is WCAG AA for text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEVERITY_STYLE } from '../../src/alerts/channels/teams-adaptive.js';
import { SEVERITIES } from '../../src/contract.js';
import { contrast } from '../helpers/contrast.js';

interface HostConfig {
  containerStyles: Record<string, { backgroundColor: string; foregroundColors: Record<string, { default: string; subtle: string }> }>;
}
const hostConfig = (theme: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/adaptivecards/microsoft-teams-${theme}.json`, import.meta.url), 'utf8')) as HostConfig;
const THEMES = { light: hostConfig('light'), dark: hostConfig('dark') };

describe('severity headers in Teams themes', () => {
  it('computes contrast as WCAG does (black on white is 21:1) and shows the old defect: warning text on the warning style', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('rgba(0, 0, 0, 0.5)', 'rgb(255, 255, 255)')).toBeCloseTo(contrast('#7f7f7f', '#ffffff'), 1);
    const light = THEMES.light.containerStyles['warning']!;
    expect(contrast(light.foregroundColors['warning']!.default, light.backgroundColor)).toBeLessThan(1.3);
  });

  for (const [theme, config] of Object.entries(THEMES)) {
    it.each([...SEVERITIES])(`gives a %s header at least 4.5:1 in the ${theme} theme, heading and subtle status line alike`, (severity) => {
      const style = config.containerStyles[SEVERITY_STYLE[severity]]!;
      const text = style.foregroundColors['default']!;
      expect(contrast(text.default, style.backgroundColor)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(text.subtle, style.backgroundColor)).toBeGreaterThanOrEqual(4.5);
    });

    it(`keeps the mailbox-reach warning (attention style, default text) readable in the ${theme} theme`, () => {
      const style = config.containerStyles['attention']!;
      expect(contrast(style.foregroundColors['default']!.default, style.backgroundColor)).toBeGreaterThanOrEqual(4.5);
    });
  }
});
