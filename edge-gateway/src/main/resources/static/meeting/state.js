// The page's state, owned here and changed only through the store's functions; modules that draw something
// subscribe to a topic (store.on('participants', fn)) and redraw when it changes. Pure (no DOM), tested with
// node --test. The WebRTC objects themselves (PeerConnections, transceivers, streams) stay inside media.js and
// subscribe.js: they are handles, not state anyone else draws from.
import { handsAfter, hostMuteAfter, roomAfterRole, roomOf, rolesAfter, rolesFromRoom, waitingOf } from './host.js';
import { DEFAULT_LAST_N, lastNOf } from './lastn.js';

const TOPICS = ['view', 'connection', 'self', 'participants', 'tracks', 'speaker', 'layout', 'panel', 'unread',
  'local', 'quality', 'tiles', 'devices', 'host', 'banner', 'reactions'];

/** The side panels. */
export const PANELS = ['chat', 'participants'];

export function createStore() {
  const listeners = new Map(TOPICS.map((t) => [t, new Set()]));
  const s = {
    view: 'prejoin',           // prejoin | lobby | meeting | left | ended | fatal
    viewReason: '',            // why ended/fatal, for a person
    connection: 'idle',        // idle | connecting | connected | reconnecting
    self: { socketId: null, name: null },
    participants: new Map(),   // socketId -> { socketId, participantId, displayName, role }
    tracks: new Map(),         // subscribe mid -> { socketId, participantId, kind, source, muted }
    speaker: null,             // socketId of the active speaker
    lastSpoke: new Map(),      // socketId -> a tick that grows each time someone becomes the active speaker (last-N)
    lastN: DEFAULT_LAST_N,     // remote tiles with video at most (the gateway's, from hello)
    layout: { mode: 'grid', pinned: null, page: 0 },
    panels: { chat: false, participants: false }, // the side panels open (both may be, on a wide screen)
    panelOrder: [],            // panel names in the order they were last opened (Escape closes the last)
    unread: 0,
    local: { micOn: true, camOn: true, sharing: false, hasMic: false, hasCam: false },
    quality: new Map(),        // socketId -> good | fair | poor | unknown
    devices: { audioinput: '', videoinput: '', audiooutput: '' }, // chosen device ids ('' = the default)
    tileKeys: [],              // remote tile keys in page order (`${socketId}|camera` / `${socketId}|screen`)
    room: roomOf(null),        // { host, cohosts, locked, lobby, raisedHands } (host.js)
    waiting: [],               // the lobby, for hosts: [{ participantId, displayName, role }] in arrival order
    hostMute: { audioLocked: false, videoLocked: false }, // a host muted us without letting us unmute
    banner: null,              // { id, text } shown under the header (host mute, role changes, refusals)
    reactions: [],             // [{ id, participantId, name, emoji, label }] on screen now
  };
  let nextId = 1;
  let speakerTicks = 0;

  function setPeople(list) {
    s.participants = new Map(list.map((p) => [p.socketId, p]));
    emit('participants');
  }

  function emit(topic) {
    for (const fn of Array.from(listeners.get(topic) || [])) {
      try {
        fn(s);
      } catch (e) {
        console.warn('listener of ' + topic + ' failed', e); // one broken view must not stop the others
      }
    }
  }

  const store = {
    get: () => s,
    /** Calls fn(state) after each change of the topic; returns a function that unsubscribes. */
    on(topic, fn) {
      if (!listeners.has(topic)) throw new Error('unknown topic ' + topic);
      listeners.get(topic).add(fn);
      return () => listeners.get(topic).delete(fn);
    },

    setView(view, reason = '') {
      if (s.view === view && s.viewReason === reason) return;
      s.view = view;
      s.viewReason = reason;
      emit('view');
    },
    setConnection(c) {
      if (s.connection === c) return;
      s.connection = c;
      emit('connection');
    },
    setSelf(patch) {
      Object.assign(s.self, patch);
      emit('self');
    },

    /** Replaces the list (after `joined`). */
    setParticipants(list) {
      s.participants = new Map(list.map((p) => [p.socketId, p]));
      emit('participants');
    },
    /** Adds or updates one person; returns true when the person is new. */
    addParticipant(p) {
      const isNew = !s.participants.has(p.socketId);
      s.participants.set(p.socketId, p);
      emit('participants');
      return isNew;
    },
    /** Removes one person with their tile pin, speaker mark and quality; returns true when the person was there. */
    removeParticipant(socketId) {
      const had = s.participants.delete(socketId);
      s.quality.delete(socketId);
      s.lastSpoke.delete(socketId);
      if (s.layout.pinned && s.layout.pinned.startsWith(socketId + '|')) {
        s.layout.pinned = null;
        emit('layout');
      }
      if (s.speaker === socketId) {
        s.speaker = null;
        emit('speaker');
      }
      if (had) emit('participants');
      return had;
    },
    nameOf(socketId) {
      const p = s.participants.get(socketId);
      return p ? p.displayName : '';
    },

    setTracks(tracks) {
      s.tracks = tracks;
      emit('tracks');
    },
    setSpeaker(socketId) {
      s.speaker = socketId || null;
      if (s.speaker) s.lastSpoke.set(s.speaker, speakerTicks += 1);
      emit('speaker');
    },
    /** The gateway's last-N (hello's media.lastN); anything but a whole number in range keeps the default. */
    setLastN(value) {
      const n = lastNOf(value);
      if (n === s.lastN) return;
      s.lastN = n;
      emit('layout');
    },
    setTileKeys(keys) {
      s.tileKeys = keys.slice();
      if (s.layout.pinned && s.layout.pinned !== 'self' && !s.tileKeys.includes(s.layout.pinned)) {
        s.layout.pinned = null;
        emit('layout');
      }
      emit('tiles');
    },

    setMode(mode) {
      if (mode !== 'grid' && mode !== 'speaker') return;
      s.layout.mode = mode;
      emit('layout');
    },
    toggleMode() {
      store.setMode(s.layout.mode === 'grid' ? 'speaker' : 'grid');
    },
    /** Pins a tile (or unpins it when it is the pinned one). */
    togglePin(key) {
      s.layout.pinned = s.layout.pinned === key ? null : (key || null);
      emit('layout');
    },
    setPage(page) {
      s.layout.page = Math.max(0, Math.floor(Number(page) || 0));
      emit('layout');
    },

    /**
     * Opens a side panel ('chat' | 'participants'). Both may be open at once (stacked in the side column);
     * `alone` closes the other first (phone-sized screens, where a panel is a full-screen sheet).
     */
    openPanel(name, alone = false) {
      if (!PANELS.includes(name)) return;
      if (alone) for (const other of PANELS) s.panels[other] = false;
      s.panels[name] = true;
      s.panelOrder = [...s.panelOrder.filter((n) => n !== name), name];
      if (name === 'chat' && s.unread) {
        s.unread = 0;
        emit('unread');
      }
      emit('panel');
    },
    /** Closes the named panel, or without a name the one opened last of those open (Escape). */
    closePanel(name) {
      const open = s.panelOrder.filter((n) => s.panels[n]);
      const which = name === undefined ? open[open.length - 1] : name;
      if (!PANELS.includes(which) || !s.panels[which]) return;
      s.panels[which] = false;
      emit('panel');
    },
    togglePanel(name, alone = false) {
      if (s.panels[name]) store.closePanel(name);
      else store.openPanel(name, alone);
    },
    /** The panels open now, in the order they were opened. */
    openPanels() {
      return s.panelOrder.filter((n) => s.panels[n]);
    },
    /** A chat message arrived: counts as unread while the chat panel is closed (your own never do). */
    messageArrived(fromSelf) {
      if (fromSelf || s.panels.chat) return;
      s.unread += 1;
      emit('unread');
    },

    setLocal(patch) {
      Object.assign(s.local, patch);
      emit('local');
    },
    /** A device chosen for 'audioinput' | 'videoinput' | 'audiooutput' ('' = the default). */
    setDevice(kind, id) {
      if (!(kind in s.devices)) return;
      s.devices[kind] = typeof id === 'string' ? id : '';
      emit('devices');
    },
    /** The participant id and role of this page's person (null / 'guest' before `joined`). */
    me() {
      const p = s.participants.get(s.self.socketId);
      return p ? { participantId: p.participantId, role: p.role } : { participantId: null, role: 'guest' };
    },
    /** The room's control state from `joined` or `room-state`; participants' roles follow it. */
    setRoom(raw) {
      s.room = roomOf(raw);
      const people = Array.from(s.participants.values());
      const next = rolesFromRoom(people, s.room);
      emit('host');
      if (next !== people) setPeople(next);
    },
    /** A `role-changed` frame. */
    roleChanged(f) {
      s.room = roomAfterRole(s.room, f);
      const people = Array.from(s.participants.values());
      const next = rolesAfter(people, f);
      emit('host');
      if (next !== people) setPeople(next);
    },
    setWaiting(list) {
      s.waiting = waitingOf(list);
      emit('host');
    },
    /** A `hand` frame. */
    handChanged(f) {
      const next = handsAfter(s.room.raisedHands, f);
      if (next === s.room.raisedHands) return;
      s.room = Object.assign({}, s.room, { raisedHands: next });
      emit('host');
    },
    /** A `muted-by-host` frame: which of our sources we may not unmute now. */
    hostMuted(f) {
      s.hostMute = hostMuteAfter(s.hostMute, f);
      emit('host');
    },
    /** Shows a banner (replacing the one shown); returns its id for clearBanner. */
    setBanner(text) {
      s.banner = text ? { id: nextId++, text } : null;
      emit('banner');
      return s.banner ? s.banner.id : 0;
    },
    /** Hides the banner if it is still the one with that id (any, without an id). */
    clearBanner(id) {
      if (!s.banner || (id && s.banner.id !== id)) return;
      s.banner = null;
      emit('banner');
    },
    /** A reaction goes on screen; returns its id for dropReaction. */
    addReaction(r) {
      const id = nextId++;
      s.reactions = s.reactions.concat(Object.assign({ id }, r)).slice(-12);
      emit('reactions');
      return id;
    },
    dropReaction(id) {
      const next = s.reactions.filter((r) => r.id !== id);
      if (next.length === s.reactions.length) return;
      s.reactions = next;
      emit('reactions');
    },
    /** Out of the meeting (ended, removed, denied, left): the host-control state starts over. */
    resetHost() {
      s.room = roomOf(null);
      s.waiting = [];
      s.hostMute = { audioLocked: false, videoLocked: false };
      s.reactions = [];
      emit('host');
      emit('reactions');
    },

    setQuality(socketId, level) {
      if (s.quality.get(socketId) === level) return;
      s.quality.set(socketId, level);
      emit('quality');
    },
  };
  return store;
}

/** The page's one store. */
export const store = createStore();
