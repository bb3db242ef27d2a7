package io.cascadefarm.worker.queue;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each owned partition are received but not yet settled. The committable position
 * of a partition is its lowest unsettled offset (or one past the highest received), so a message is
 * never committed before it, and every message before it, reached a final or re-queued state.
 */
public final class OffsetBook {
  private static final class Track {
    final TreeSet<Long> open = new TreeSet<>();
    long next = -1;
    long committed = -1;

    long position() {
      return open.isEmpty() ? next : open.first();
    }
  }

  private final Map<TopicPartition, Track> tracks = new HashMap<>();

  public void received(TopicPartition tp, long offset) {
    Track t =
        tracks.computeIfAbsent(
            tp,
            k -> {
              Track fresh = new Track();
              fresh.committed = offset; // the group's position already stands here
              return fresh;
            });
    t.open.add(offset);
    t.next = Math.max(t.next, offset + 1);
  }

  /** Marks an offset settled; ignored for partitions no longer owned. */
  public void settled(TopicPartition tp, long offset) {
    Track t = tracks.get(tp);
    if (t != null) {
      t.open.remove(offset);
    }
  }

  /** Positions that moved since the last commit, for the given partitions (all if null). */
  public Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> only) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    tracks.forEach(
        (tp, t) -> {
          long pos = t.position();
          if ((only == null || only.contains(tp)) && pos > t.committed) {
            out.put(tp, new OffsetAndMetadata(pos));
          }
        });
    return out;
  }

  /** Records a successful commit. */
  public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach(
        (tp, om) -> {
          Track t = tracks.get(tp);
          if (t != null) {
            t.committed = Math.max(t.committed, om.offset());
          }
        });
  }

  /** Stops tracking partitions that were revoked or lost. */
  public void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(tracks::remove);
  }

  /** Number of received, unsettled messages. */
  public int open() {
    return tracks.values().stream().mapToInt(t -> t.open.size()).sum();
  }
}
