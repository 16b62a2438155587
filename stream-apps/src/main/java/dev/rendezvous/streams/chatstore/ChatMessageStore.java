package dev.rendezvous.streams.chatstore;

import dev.rendezvous.streams.persist.TableStore;
import dev.rendezvous.topics.model.ChatMessage;

/**
 * Where accepted chat messages are kept for history (the gateway reads them). {@link #insert} inserts the messages
 * in one statement; a message whose (meeting, seq) or (meeting, clientMsgId) is already stored is left as it is.
 */
public interface ChatMessageStore extends TableStore<ChatMessage> {}
