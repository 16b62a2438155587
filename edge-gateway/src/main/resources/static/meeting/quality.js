// A connection-quality level per person from the subscribe connection's inbound-rtp statistics: pure, tested
// with node --test. The page samples getStats() every few seconds and compares with the previous sample.

/**
 * @param {{packetsReceived:number, packetsLost:number, jitter:number}} prev the previous totals (or null)
 * @param {{packetsReceived:number, packetsLost:number, jitter:number}} now  the current totals
 * @returns {'good'|'fair'|'poor'|'unknown'}
 */
export function qualityLevel(prev, now) {
  if (!now || !prev) return 'unknown';
  const received = (now.packetsReceived || 0) - (prev.packetsReceived || 0);
  const lost = Math.max(0, (now.packetsLost || 0) - (prev.packetsLost || 0));
  if (received <= 0 && lost <= 0) return 'unknown'; // nothing arrived: muted, or not flowing yet
  const loss = lost / Math.max(1, received + lost);
  const jitterMs = (now.jitter || 0) * 1000;
  if (received <= 0 || loss > 0.1 || jitterMs > 100) return 'poor';
  if (loss > 0.02 || jitterMs > 30) return 'fair';
  return 'good';
}

/** Words for the indicator's label. */
export function qualityLabel(level) {
  return { good: 'Good connection', fair: 'Unstable connection', poor: 'Poor connection' }[level] || 'Connection quality unknown';
}
