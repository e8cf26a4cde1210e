import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a Teams Workflows webhook on 127.0.0.1, so the demo shows an Adaptive Card
 * arriving without a tenant. It answers 202 like Workflows and reports each card's first line and
 * the message as received.
 */
export async function startDemoTeamsReceiver(onCard: (title: string, body: Buffer) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      onCard(firstText(raw.toString('utf8')), raw);
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/workflows/demo`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The card's heading (the first text, TextBlock or TextRun, that starts with a severity), or a note that there was none. */
function firstText(body: string): string {
  try {
    const envelope = JSON.parse(body) as { attachments?: Array<{ content?: unknown }> };
    const stack: unknown[] = [envelope.attachments?.[0]?.content];
    const texts: string[] = [];
    while (stack.length > 0) {
      const node = stack.shift();
      if (Array.isArray(node)) stack.push(...(node as unknown[]));
      else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        if ((o.type === 'TextBlock' || o.type === 'TextRun') && typeof o.text === 'string') texts.push(o.text);
        stack.push(...Object.values(o));
      }
    }
    // The title is the block that starts with the severity (after "Update:" or "Escalated to");
    // otherwise the first text.
    const title = texts.find((t) => /^(?:(?:Update|Escalated to):? )?(CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL)\b/i.test(t)) ?? texts[0];
    if (title) return title;
  } catch {
    return '(not JSON)';
  }
  return '(no text)';
}
