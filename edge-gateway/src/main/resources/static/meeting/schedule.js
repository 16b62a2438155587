// The meeting's scheduled start on the pre-join screen: pure, so node --test can check it.

/**
 * "Scheduled for Mon 7 Dec, 10:00 (in 2 days)" for a start still ahead of `now`, "" for none, an unreadable value,
 * or a start already past (the meeting is on). `locale` and `timeZone` default to the browser's.
 */
export function scheduleText(startsAt, now = Date.now(), { locale, timeZone } = {}) {
  if (!startsAt) return '';
  const at = Date.parse(startsAt);
  if (Number.isNaN(at) || at <= now) return '';
  const when = new Date(at).toLocaleString(locale, {
    weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false, timeZone,
  });
  return `Scheduled for ${when} (${untilText(at - now)})`;
}

function untilText(ms) {
  const minutes = Math.round(ms / 60000);
  if (minutes < 1) return 'in less than a minute';
  if (minutes < 60) return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `in ${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.round(hours / 24);
  return `in ${days} day${days === 1 ? '' : 's'}`;
}
