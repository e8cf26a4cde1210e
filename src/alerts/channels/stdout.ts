/**
 * The stdout channel: each alert as the same text an alert email attaches (text.ts), for a
 * terminal, a container log or the demo.
 */
import type { Severity } from '../../events.js';
import { alertView } from '../../present/alert-view.js';
import { formatAlertText } from './text.js';
import type { Channel } from './types.js';

export function createStdoutChannel(options: { name: string; minSeverity: Severity; write?: (text: string) => void }): Channel {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  return {
    name: options.name,
    type: 'stdout',
    minSeverity: options.minSeverity,
    send: async (alert) => {
      write(`${formatAlertText(alertView(alert))}\n`);
    },
  };
}
