// window.rendezvousMedia: the hook browser tests and the latency benchmark read (docs/protocol.md, "The
// meeting page's media hook"). Read-only views of the page's media state.
import { connection } from './connection.js';
import { media } from './media.js';
import { store } from './state.js';
import { statsOverlay } from './statsoverlay.js';
import { inboundStats } from './subscribe.js';
import { forceTileSize, lastTileView, unforceTileSize } from './viewsize.js';

export function installHook(speakerSignals) {
  window.rendezvousMedia = {
    get publishPc() { return media.publishPc; },
    get subscribePc() { return media.subscribePc; },
    get joinStartedAt() { return media.joinStartedAt; },
    get preparedOffers() { return media.preparedOffers; },
    get firstRemoteFrameAt() { return media.firstRemoteFrameAt; },
    /** The socket the latest active-speaker frame named (null: nobody), and how many such frames arrived. */
    get speaker() { return store.get().speaker; },
    get speakerSignals() { return speakerSignals(); },
    /** The gateway the page's socket is on (hello's gatewayId), and the socket id it joined with. */
    get gatewayId() { return connection.gatewayId; },
    get socketId() { return store.get().self.socketId; },
    /** The latest subscribe offer's tracks, as a plain object mid -> { socketId, participantId, kind, source, muted }. */
    tracks() { return Object.fromEntries(store.get().tracks); },
    /** Remote tiles in page order (stage, filmstrip, grid). */
    tiles() {
      return Array.from(document.querySelectorAll('#stage video[data-participant-name]')).map((v) => ({
        socketId: v.dataset.socketId, name: v.dataset.participantName, source: v.dataset.source, element: v,
      }));
    },
    /** Inbound RTP of the subscribe PC summed per publishing socket. */
    inboundStats,
    /**
     * Tests: report a remote tile to the forwarder as rendered at width × height device pixels (null: hidden),
     * whatever the layout makes of it; unforceTileSize goes back to measuring. tileView: the media-view last sent.
     */
    forceTileSize,
    unforceTileSize,
    get tileView() { return lastTileView(); },
    /** Last-N: remote tiles with video at most (hello's media.lastN); tests may set another (1-256). */
    get lastN() { return store.get().lastN; },
    setLastN(n) { store.setLastN(n); },
    /** The stats overlay (tests): { open, lines: { summary, "socketId|source": [...] }, server: the last media-stats }. */
    statsOverlay,
    /** The layout as the page shows it (tests): { layout: 'grid'|'focus', mode, pinned, page }. */
    layout() {
      const s = store.get();
      return { layout: document.getElementById('stage').dataset.layout, mode: s.layout.mode, pinned: s.layout.pinned, page: s.layout.page };
    },
  };
}
