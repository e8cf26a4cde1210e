/* global window, document, getComputedStyle */
// Runs inside Chromium (added with page.addScriptTag): this project's TypeScript has no DOM types,
// so what the card and email render tests measure in the page is plain JavaScript here.

/** Everything under `root` whose content is wider than its box: clipped or pushing the page sideways. */
function overflowing(root) {
  return [...root.querySelectorAll('*')]
    .filter((e) => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
    .map((e) => `${e.tagName}.${e.className} ${(e.textContent || '').slice(0, 60)}`);
}

/** The first opaque background behind `element`. */
function backgroundBehind(element) {
  for (let e = element; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (!/rgba\(.*, 0\)$|transparent/.test(bg)) return bg;
  }
  return 'rgb(255, 255, 255)';
}

/** Renders an Adaptive Card with a host config into #host and says what a reader sees. */
window.renderCard = (card, config) => {
  const adaptive = new window.AdaptiveCards.AdaptiveCard();
  adaptive.hostConfig = new window.AdaptiveCards.HostConfig(config);
  adaptive.parse(card);
  const host = document.getElementById('host');
  host.style.background = `#${config.containerStyles.default.backgroundColor.replace('#', '').slice(-6)}`;
  host.replaceChildren(adaptive.render());
  const all = [...host.querySelectorAll('*')];
  const texts = all.filter((e) => e.classList.contains('ac-richTextBlock') || e.classList.contains('ac-textBlock')).map((e) => e.innerText);
  const first = all.find((e) => e.classList.contains('ac-textRun') || e.classList.contains('ac-textBlock'));
  return {
    overflowing: overflowing(host),
    pageWidth: document.documentElement.scrollWidth,
    texts,
    header: { text: first.innerText, color: getComputedStyle(first).color, background: backgroundBehind(first) },
  };
};

/**
 * Where each token (IP address, GUID) of the page's text is drawn: for every match of `pattern`
 * in a text node, the token, whether one text node holds it whole, and on how many lines it is drawn.
 */
window.tokenLines = (pattern) => {
  const found = [];
  const walker = document.createTreeWalker(document.body, 4 /* NodeFilter.SHOW_TEXT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.data.matchAll(new RegExp(pattern, 'g'))) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      found.push({ token: m[0], lines: tops.size });
    }
  }
  return { found, text: document.body.innerText, overflowing: overflowing(document.body), pageWidth: document.documentElement.scrollWidth };
};
