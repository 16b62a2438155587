// The chat panel: messages in the meeting's order (by seq), the history loaded over REST after "joined" and
// merged with live messages (deduplicated by seq and by sender and clientMsgId), messages not yet echoed back kept as pending
// and re-sent with the same clientMsgId after a reconnect, so the server keeps exactly one copy. After a re-join the
// history is read again (once, and again while seqs are missing: chatgaps.js), since messages accepted while the
// socket was down may not have been stored yet when the first read ran. The log is a
// polite live region; messages that arrive while the panel is closed count as unread (the toolbar's badge).
import { connection, meeting, send } from './connection.js';
import { missingSeqs, REFILL_DELAYS, refillAgain } from './chatgaps.js';
import { chatMessageOf, out } from './frames.js';
import { store } from './state.js';

const HISTORY_LIMIT = 500;
const $ = (id) => document.getElementById(id);
const seenSeq = new Set();
const seenMsgIds = new Set();
const pending = new Map(); // clientMsgId -> { text, el }
let refillTimer = null;

function appendToLog(el) {
  const log = $('chat-log');
  const firstPending = log.querySelector('li.pending');
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  log.insertBefore(el, firstPending);
  if (atBottom) log.scrollTop = log.scrollHeight;
}

/** A line about the meeting (someone joined or left), not a message. */
export function notice(text) {
  const li = document.createElement('li');
  li.dataset.testid = 'chat-notice';
  li.className = 'notice';
  li.textContent = text;
  appendToLog(li);
}

/** Inserts a message in seq order; duplicates (same seq, or same sender and clientMsgId) and malformed ones are ignored. */
export function addMessage(raw, { live = false } = {}) {
  const m = chatMessageOf(raw);
  if (!m) return;
  const mine = !!(m.clientMsgId && pending.has(m.clientMsgId));
  if (mine) {
    pending.get(m.clientMsgId).el.remove();
    pending.delete(m.clientMsgId);
  }
  // a message is (sender, clientMsgId): another sender's message with the same id is a message of its own
  const msgKey = m.clientMsgId ? m.fromId + '\n' + m.clientMsgId : null;
  if (seenSeq.has(m.seq) || (msgKey && seenMsgIds.has(msgKey))) return;
  seenSeq.add(m.seq);
  if (msgKey) seenMsgIds.add(msgKey);
  const li = document.createElement('li');
  li.dataset.testid = 'chat-message';
  li.dataset.seq = String(m.seq);
  if (m.clientMsgId) li.dataset.clientMsgId = m.clientMsgId;
  const from = document.createElement('span');
  from.className = 'from';
  from.textContent = m.from;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = m.text;
  li.append(from, ' ', text);
  const when = m.sentAt ? new Date(m.sentAt) : null;
  if (when && !Number.isNaN(when.getTime())) {
    const time = document.createElement('time');
    time.dateTime = m.sentAt;
    time.textContent = when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    li.append(' ', time);
  }
  const later = Array.from($('chat-log').querySelectorAll('li[data-testid="chat-message"]'))
    .find((el) => Number(el.dataset.seq) > m.seq);
  if (later) $('chat-log').insertBefore(li, later);
  else appendToLog(li);
  if (live) store.messageArrived(mine);
}

export async function loadHistory() {
  try {
    const res = await fetch('/api/v1/meetings/' + encodeURIComponent(meeting.id) + '/messages?limit=' + HISTORY_LIMIT,
      { headers: { Authorization: 'Bearer ' + connection.token } });
    if (!res.ok) return;
    const list = await res.json();
    if (Array.isArray(list)) for (const m of list) addMessage(m);
  } catch (e) {
    // history is a convenience; live messages still arrive
  }
}

/** After every `joined`: the history, then what is still pending (same clientMsgIds); after a re-join, the refill. */
export function afterJoin(rejoined) {
  clearTimeout(refillTimer);
  loadHistory().finally(() => {
    resendPending();
    if (rejoined) refill(0);
  });
}

function refill(attempt) {
  refillTimer = setTimeout(async () => {
    if (!connection.joined) return; // the next joined starts over
    await loadHistory();
    if (refillAgain(attempt, missingSeqs(seenSeq))) refill(attempt + 1);
  }, REFILL_DELAYS[attempt]);
}

function sendChat(text) {
  const clientMsgId = crypto.randomUUID();
  const li = document.createElement('li');
  li.dataset.testid = 'chat-pending';
  li.className = 'pending';
  li.dataset.clientMsgId = clientMsgId;
  const from = document.createElement('span');
  from.className = 'from';
  from.textContent = store.get().self.name || 'You';
  const body = document.createElement('span');
  body.className = 'text';
  body.textContent = text;
  li.append(from, ' ', body);
  $('chat-log').appendChild(li);
  $('chat-log').scrollTop = $('chat-log').scrollHeight;
  pending.set(clientMsgId, { text, el: li });
  resendOne(clientMsgId);
}

export function resendOne(clientMsgId) {
  const p = pending.get(clientMsgId);
  if (p && connection.joined) send(out.chat(meeting.id, clientMsgId, p.text));
}

export function resendPending() {
  for (const id of pending.keys()) resendOne(id);
}

export function showError(text) {
  $('chat-error').textContent = text;
}

/** An error frame about a chat message (ref = its clientMsgId); false when it is not about one. */
export function onChatError(f) {
  if (!f.ref || !pending.has(f.ref)) return false;
  if (f.error === 'rate_limited') {
    setTimeout(() => resendOne(f.ref), 1000);
  } else if (f.error === 'chat_unavailable') {
    // the room could not read its stored chat (PostgreSQL unreachable for a moment): kept pending, sent again
    setTimeout(() => resendOne(f.ref), 2000);
  } else if (f.error === 'invalid_message') {
    pending.get(f.ref).el.remove();
    pending.delete(f.ref);
    showError('Not sent: ' + (f.message || f.error));
  } else if (f.error !== 'not_joined') {
    return false;
  }
  return true; // not_joined: kept as pending; re-sent after the next "joined"
}

export function initChat() {
  $('chat-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const input = $('chat-input');
    const text = input.value;
    if (!text.trim()) return;
    showError('');
    sendChat(text);
    input.value = '';
  });
}
