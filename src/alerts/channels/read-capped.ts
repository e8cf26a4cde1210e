/** Bytes of a channel's answer read at most: a reason or an acknowledgement fits many times over. */
export const ANSWER_CAP_IN_BYTES = 64 * 1024;

/**
 * The first `capInBytes` of a response body as text, read as it streams; the rest is cancelled
 * unread, so a receiver that answers with an endless or enormous body costs one chunk of memory,
 * not the body. A body that breaks off yields what arrived.
 */
export async function readCapped(response: Response, capInBytes = ANSWER_CAP_IN_BYTES): Promise<string> {
  const body = response.body;
  if (!body) return '';
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    while (bytes < capInBytes) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      const kept = value.subarray(0, capInBytes - bytes);
      bytes += kept.byteLength;
      text += decoder.decode(kept, { stream: true });
    }
    return text;
  } catch {
    return text;
  } finally {
    // After `done` this is a no-op; otherwise it closes the connection instead of reading on.
    await reader.cancel().catch(() => undefined);
  }
}
