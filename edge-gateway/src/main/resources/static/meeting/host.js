// Host controls on the meeting page (docs/protocol.md, "Host controls"): the pure state transitions and texts.
// No DOM and no socket, so node --test covers it (edge-gateway/src/test/js/host.test.mjs). Who may do what is
// decided by the server; this only decides what the page offers and shows. Bad input never throws.

/** The reactions the page offers, in toolbar order: [wire name, emoji, label]. */
export const REACTIONS = [
  ['thumbs_up', '👍', 'Thumbs up'],
  ['heart', '❤️', 'Heart'],
  ['laugh', '😂', 'Laugh'],
  ['clap', '👏', 'Clap'],
  ['party', '🎉', 'Party'],
];

/** How long a reaction stays on screen. */
export const REACTION_MS = 5000;

const str = (v) => (typeof v === 'string' && v.length > 0 ? v : null);
const strings = (v) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string' && x) : []);

/** Whether a role (as the page keeps it: host, cohost, participant, guest) may use the host controls. */
export function canModerate(role) {
  return role === 'host' || role === 'cohost';
}

/** A wire role (HOST, COHOST, USER, GUEST) as the page keeps it. */
export function pageRole(wire) {
  const r = typeof wire === 'string' ? wire.toLowerCase() : '';
  return r === 'host' || r === 'cohost' || r === 'guest' ? r : 'participant';
}

/** The room's control state of `joined` / `room-state`; an unusable one gives the empty state. */
export function roomOf(r) {
  const o = r && typeof r === 'object' ? r : {};
  return {
    host: str(o.host),
    cohosts: strings(o.cohosts),
    locked: o.locked === true,
    lobby: o.lobby === true,
    raisedHands: Array.from(new Set(strings(o.raisedHands))),
    recording: recordingOf(o.recording),
  };
}

/** The room's running recording ({recordingId, startedAt, by}), or null when it is not being recorded. */
export function recordingOf(r) {
  if (!r || typeof r !== 'object' || !str(r.recordingId)) return null;
  return { recordingId: r.recordingId, startedAt: str(r.startedAt), by: str(r.by) };
}

/** The people waiting in the lobby (`lobby-changed`), in arrival order, without unusable entries. */
export function waitingOf(list) {
  if (!Array.isArray(list)) return [];
  const seen = new Set();
  const out = [];
  for (const w of list) {
    if (!w || typeof w !== 'object' || !str(w.participantId) || seen.has(w.participantId)) continue;
    seen.add(w.participantId);
    out.push({
      participantId: w.participantId,
      displayName: typeof w.displayName === 'string' && w.displayName.trim() ? w.displayName : 'Someone',
      role: pageRole(w.role),
    });
  }
  return out;
}

/**
 * The participants (array of { participantId, role, … }) with their roles as the room says: the host, the
 * co-hosts, and former hosts/co-hosts back to participant. Guests stay guests. Returns the same array when
 * nothing changed.
 */
export function rolesFromRoom(people, room) {
  let changed = false;
  const out = people.map((p) => {
    let role = p.role;
    if (role === 'guest') return p;
    if (room.host && p.participantId === room.host) role = 'host';
    else if (room.cohosts.includes(p.participantId)) role = 'cohost';
    else if (role === 'host' || role === 'cohost') role = 'participant';
    if (role === p.role) return p;
    changed = true;
    return Object.assign({}, p, { role });
  });
  return changed ? out : people;
}

/** The participants after a `role-changed` frame (every socket of that person); the same array when unchanged. */
export function rolesAfter(people, f) {
  if (!f || !str(f.participantId) || !str(f.role)) return people;
  const role = pageRole(f.role);
  let changed = false;
  const out = people.map((p) => {
    if (p.participantId !== f.participantId || p.role === role) return p;
    changed = true;
    return Object.assign({}, p, { role });
  });
  return changed ? out : people;
}

/** The room after a `role-changed` frame (host and co-host lists). */
export function roomAfterRole(room, f) {
  if (!f || !str(f.participantId)) return room;
  const id = f.participantId;
  const role = pageRole(f.role);
  const cohosts = room.cohosts.filter((c) => c !== id);
  if (role === 'cohost') cohosts.push(id);
  let host = room.host;
  if (role === 'host') host = id;
  else if (host === id) host = null;
  return Object.assign({}, room, { host, cohosts });
}

/** The text for a `role-changed` frame, e.g. "Alice is now the host" (name: the person's, self: is it you). */
export function roleChangeText(f, name, self) {
  const who = self ? 'You' : name || 'Someone';
  const is = self ? 'are' : 'is';
  switch (pageRole(f && f.role)) {
    case 'host':
      return `${who} ${is} now the host`;
    case 'cohost':
      return `${who} ${is} now a co-host`;
    default:
      return f && f.reason === 'demoted' ? `${who} ${is} no longer a co-host`
        : f && f.reason === 'owner_returned' ? `${who} ${is} no longer the host: the meeting's owner is back`
          : `${who} ${is} now a participant`;
  }
}

/**
 * What a viewer may do to a person from the participants list: [{ action, testid, label, extra }]. Nothing for
 * participants and guests, nothing on yourself (any of your tabs), nothing on the host unless you are the host;
 * co-host rights are given and taken by the host and co-hosts, and only to registered participants.
 */
export function menuFor(viewerRole, target, selfParticipantId) {
  if (!canModerate(viewerRole) || !target || !target.participantId) return [];
  if (target.participantId === selfParticipantId) return [];
  if (target.role === 'host' && viewerRole !== 'host') return [];
  const name = target.displayName || 'this person';
  const items = [
    { action: 'mute', testid: 'mute-participant', label: `Mute ${name}'s microphone`, extra: { audio: true, video: false } },
    { action: 'mute', testid: 'mute-video', label: `Turn off ${name}'s camera`, extra: { audio: false, video: true } },
  ];
  if (target.role === 'participant') {
    items.push({ action: 'promote', testid: 'make-cohost', label: `Make ${name} a co-host`, extra: {} });
  }
  if (target.role === 'cohost') {
    items.push({ action: 'demote', testid: 'remove-cohost', label: `Take co-host rights from ${name}`, extra: {} });
  }
  items.push({ action: 'remove', testid: 'kick', label: `Remove ${name} from the meeting`, extra: {} });
  return items;
}

/** The raised hands (participant ids, in raising order) after a `hand` frame. */
export function handsAfter(hands, f) {
  if (!f || !str(f.participantId)) return hands;
  const without = hands.filter((h) => h !== f.participantId);
  if (f.raised === true) return hands.includes(f.participantId) ? hands : without.concat(f.participantId);
  return without.length === hands.length ? hands : without;
}

/** A `reaction` frame as { participantId, emoji, label }, or null when it is not one the page knows. */
export function reactionOf(f) {
  if (!f || !str(f.participantId)) return null;
  const r = REACTIONS.find(([name, emoji]) => name === f.reaction || emoji === f.reaction || emoji === f.emoji);
  return r ? { participantId: f.participantId, emoji: r[1], label: r[2] } : null;
}

/**
 * Which of your own sources a host locked (you may not unmute them) after a `muted-by-host` frame: a source the
 * frame mutes is locked when `allowUnmute` is false and unlocked when it is true; the others stay as they were.
 */
export function hostMuteAfter(prev, f) {
  const p = prev || { audioLocked: false, videoLocked: false };
  if (!f) return p;
  const allow = f.allowUnmute !== false;
  return {
    audioLocked: f.audio === true ? !allow : p.audioLocked,
    videoLocked: f.video === true ? !allow : p.videoLocked,
  };
}

/** The banner for a `muted-by-host` frame (byName: who did it, if known). */
export function mutedText(f, byName) {
  const what = [f && f.audio ? 'microphone' : null, f && f.video ? 'camera' : null].filter(Boolean).join(' and ')
    || 'microphone';
  const who = byName || 'A host';
  return f && f.allowUnmute === false
    ? `${who} turned off your ${what}. Only a host can let you turn it on again.`
    : `${who} turned off your ${what}. You can turn it on again when you are ready.`;
}

/** Why the meeting is over for you, for a person: kind is the frame type or error code. */
export function endedText(kind, f) {
  switch (kind) {
    case 'removed':
      return f && f.type === 'error'
        ? 'You were removed from this meeting. A host has to let you in again.'
        : 'A host removed you from the meeting.';
    case 'meeting-ended':
    case 'meeting_ended':
      return 'The host ended the meeting for everyone.';
    case 'denied':
      return 'The host did not let you in to this meeting.';
    default:
      return 'The meeting is over for you.';
  }
}

/** Host-control error codes, for a person. */
export function hostErrorText(f) {
  const texts = {
    forbidden: 'Only a host can do that.',
    participant_not_found: 'That person is not in the meeting any more.',
    not_waiting: 'That person is not waiting any more.',
    already_cohost: 'That person is already a co-host.',
    not_cohost: 'That person is not a co-host.',
    guest_cannot_be_cohost: 'Guests cannot be co-hosts.',
    cannot_remove_yourself: 'You cannot remove yourself; leave instead.',
    already_recording: 'The meeting is already being recorded.',
    not_recording: 'The meeting is not being recorded.',
    nothing_to_record: 'There is nothing to record yet.',
  };
  return texts[f && f.error] || (f && (f.message || f.error)) || 'That did not work.';
}
