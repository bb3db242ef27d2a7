package io.cascadefarm.dispatcher.api;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Collects bad fields while a body is read. Keeps the first {@link #MAX_LISTED} errors (a body with
 * 100,000 bad jobs must not produce a 100,000-entry answer) but counts all of them, and remembers
 * which items (batch entries or NDJSON lines) had at least one error.
 */
public final class FieldErrors {
  public static final int MAX_LISTED = 1000;
  private final List<FieldError> listed = new ArrayList<>();
  private final BitSet badItems = new BitSet();
  private int count;
  private boolean requestLevel;

  /** An error that is not tied to one job (e.g. in {@code defaults} or the envelope). */
  public void add(String field, String message) {
    requestLevel = true;
    record(new FieldError(field, message));
  }

  /** An error of one job: item is its index in {@code jobs} (or its NDJSON line). */
  public void addForItem(int item, String field, String message, boolean ndjson) {
    badItems.set(item);
    record(new FieldError(field, message, ndjson ? item : null));
  }

  private void record(FieldError e) {
    count++;
    if (listed.size() < MAX_LISTED) {
      listed.add(e);
    }
  }

  public boolean isEmpty() {
    return count == 0;
  }

  public int count() {
    return count;
  }

  public boolean hasRequestLevelErrors() {
    return requestLevel;
  }

  public boolean isBad(int item) {
    return badItems.get(item);
  }

  public int badItemCount() {
    return badItems.cardinality();
  }

  public List<FieldError> listed() {
    return List.copyOf(listed);
  }

  /** A 400 listing the errors, saying how many more there were beyond the listed ones. */
  public ApiException toException() {
    String msg =
        count == 1
            ? "1 invalid field: " + listed.get(0).field() + ": " + listed.get(0).message()
            : count
                + " invalid fields"
                + (count > listed.size() ? " (first " + listed.size() + " listed)" : "");
    return ApiException.invalid(msg, listed);
  }
}
