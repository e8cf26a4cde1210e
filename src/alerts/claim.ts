/**
 * Claiming outbox entries right before their message is sent, so two deliverers sharing a store
 * (a CLI scan next to `serve`, two containers on one volume, two Function workers) never both send
 * one entry. The claim is taken per message, not for the whole run, so a long run behind a
 * rate-limited channel does not outlive the claims of its last messages (docs/state.md, "Two
 * workers at once").
 */
import type { StateStore } from '../state/types.js';
import { prepareMessages, type Message } from './render.js';

/**
 * How long a claim holds: far past one send (the channels' HTTP timeout is 30 s, src/alerts/channels/index.ts)
 * and a digest's pacing. A sender that crashed after claiming leaves its entries to the next run
 * after this, which is the one repeat per crash the outbox promises.
 */
export const CLAIM_IN_MS = 5 * 60_000;

/**
 * The messages among `items` this deliverer now holds. A message whose entries were all claimed is
 * sent as prepared; one of which another deliverer holds some rounds is rendered again from the
 * rounds claimed here (the other sends its own); one with none claimed is dropped.
 */
export async function claimMessages(store: StateStore, items: readonly Message[], now: Date): Promise<Message[]> {
  const ids = items.flatMap((m) => m.entries.map((e) => e.id));
  const claimed = new Set(await store.claimOutbox(ids, now, new Date(now.getTime() + CLAIM_IN_MS)));
  const whole: Message[] = [];
  const split = items.flatMap((m) => {
    const ours = m.entries.filter((e) => claimed.has(e.id));
    if (ours.length === m.entries.length) whole.push(m);
    return ours.length === m.entries.length ? [] : ours;
  });
  if (split.length === 0) return whole;
  // These rounds rendered as a message once already, so they do again: nothing is undeliverable.
  const { messages } = await prepareMessages(store, split);
  return [...whole, ...messages];
}
