package org.drops.atm.shell.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The last platform events (Event Admin topics under {@code org/drops/atm/}), oldest first. */
public final class EventLog {

    /** One event: when it arrived here, its topic and its properties (sorted by key, Event Admin's own removed). */
    public record Entry(long sequence, Instant time, String topic, Map<String, Object> properties) {

        /** The topic without the common prefix: {@code connection/OPENED}. */
        public String shortTopic() {
            return topic.startsWith(org.drops.atm.api.AtmEvents.TOPIC_PREFIX)
                    ? topic.substring(org.drops.atm.api.AtmEvents.TOPIC_PREFIX.length()) : topic;
        }
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>(); // guarded by this
    private long sequence; // guarded by this

    public EventLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: at least 1, not " + capacity);
        }
        this.capacity = capacity;
    }

    public synchronized void add(Instant time, String topic, Map<String, Object> properties) {
        Map<String, Object> sorted = new TreeMap<>(properties);
        sorted.remove("event.topics");
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(++sequence, time, topic, sorted));
    }

    /** The last {@code n} entries, oldest first. */
    public synchronized List<Entry> last(int n) {
        List<Entry> all = new ArrayList<>(entries);
        return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }
}
