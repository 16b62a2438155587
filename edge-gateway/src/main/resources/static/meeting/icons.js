// Inline SVG icons (24×24, stroked with currentColor), drawn for this page. icon(name) gives a fresh element,
// hidden from assistive technology: every control that shows one carries its own text label.
const PATHS = {
  mic: 'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z|M5 11a7 7 0 0 0 14 0|M12 18v3',
  micOff: 'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z|M5 11a7 7 0 0 0 14 0|M12 18v3|M3 3l18 18',
  cam: 'M3 7h12v10H3z|M15 10l6-3v10l-6-3',
  camOff: 'M3 7h12v10H3z|M15 10l6-3v10l-6-3|M2 3l20 18',
  screen: 'M3 4h18v12H3z|M8 20h8|M12 16v4|M12 13V7|M9 10l3-3 3 3',
  chat: 'M4 5h16v11H9l-5 4z',
  people: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z|M2 20c0-4 3-6 7-6s7 2 7 6|M16 4.5a3.5 3.5 0 0 1 0 6.5|M18 14c2.5.5 4 2.5 4 6',
  grid: 'M4 4h7v7H4z|M13 4h7v7h-7z|M4 13h7v7H4z|M13 13h7v7h-7z',
  speaker: 'M3 4h18v11H3z|M3 18h5v3H3z|M10 18h4v3h-4z|M16 18h5v3h-5z',
  link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1|M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
  leave: 'M10 4H4v16h6|M14 8l4 4-4 4|M8 12h10',
  settings: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z|M19 12l2-1-1-3-2 .2-1.3-1.3.2-2-3-1-1 2h-1.8l-1-2-3 1 .2 2L6 7.2 4 7 3 10l2 1v2l-2 1 1 3 2-.2 1.3 1.3-.2 2 3 1 1-2h1.8l1 2 3-1-.2-2 1.3-1.3 2 .2 1-3-2-1z',
  help: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z|M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.7v.5|M12 17v.5',
  pin: 'M9 3h6l-1 6 3 3H7l3-3z|M12 12v9',
  fullscreen: 'M4 9V4h5|M20 9V4h-5|M4 15v5h5|M20 15v5h-5',
  close: 'M5 5l14 14|M19 5L5 19',
  hand: 'M8 13V5a1.5 1.5 0 0 1 3 0v6|M11 11V3.5a1.5 1.5 0 0 1 3 0V11|M14 11V5a1.5 1.5 0 0 1 3 0v7|M17 12V8.5a1.5 1.5 0 0 1 3 0V15a6 6 0 0 1-6 6h-1a6 6 0 0 1-5-2.7L4.5 14a1.5 1.5 0 0 1 2.5-1.7L8 13.5',
  smile: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z|M8 14s1.5 2 4 2 4-2 4-2|M9 9h.01|M15 9h.01',
  stats: 'M4 20V10|M10 20V4|M16 20v-7|M22 20H2',
  prev: 'M15 5l-7 7 7 7',
  next: 'M9 5l7 7-7 7',
};

const NS = 'http://www.w3.org/2000/svg';

export function icon(name) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '24');
  svg.setAttribute('height', '24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('icon');
  for (const d of (PATHS[name] || '').split('|').filter(Boolean)) {
    const p = document.createElementNS(NS, 'path');
    p.setAttribute('d', d);
    svg.appendChild(p);
  }
  return svg;
}

/** Puts the icon into every element with data-icon="name" (the page's static buttons). */
export function fillIcons(root = document) {
  for (const el of root.querySelectorAll('[data-icon]')) {
    el.replaceChildren(icon(el.dataset.icon));
  }
}
