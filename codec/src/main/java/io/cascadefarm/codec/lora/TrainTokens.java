package io.cascadefarm.codec.lora;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A LoRA file's {@code train_tokens} metadata, treated as untrusted data. In the official Stable
 * Cascade LoRA format each entry is {@code [token, regex]}, e.g. {@code ["[fernando]",
 * "^dog</w>"]}: a bracketed token is new and starts as the mean of the vocabulary rows its regex
 * matches ({@code re.search} semantics); any other token is itself a regex. The regexes are kept
 * (they are the format) but compiled and evaluated with RE2/J, whose matching time is linear in the
 * input, and their number and length are bounded, so a LoRA cannot make a worker backtrack for
 * hours. The dispatcher validates uploads with {@link #parse}; workers parse with it again and
 * evaluate with {@link #matching}.
 */
public final class TrainTokens {
  /** Most entries. */
  public static final int MAX_ENTRIES = 64;

  /** Longest token text (characters). */
  public static final int MAX_TOKEN_CHARS = 128;

  /** Longest regex (characters). */
  public static final int MAX_REGEX_CHARS = 256;

  /** Largest repetition count in a regex ({@code x{n}}), so that a short regex stays small. */
  public static final int MAX_REPEAT = 100;

  /**
   * Largest size of one regex with its repetitions expanded ({@code (a{10}){10}} is 100), which
   * bounds the compiled program and so the cost per vocabulary entry.
   */
  public static final int MAX_EXPANDED = 1000;

  /** Largest expanded size of all regexes of one LoRA together. */
  public static final int MAX_EXPANDED_TOTAL = 4000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.util.regex.Pattern REPEAT =
      java.util.regex.Pattern.compile("\\{\\s*(\\d+)\\s*(?:,\\s*(\\d*)\\s*)?}");

  /** One entry: the token, its regex (null when none), and whether it is a new token. */
  public record Entry(String token, String regex) {
    /** Bracketed ({@code [..]} or {@code <..>}) tokens are added to the vocabulary. */
    public boolean isNew() {
      return (token.startsWith("[") && token.endsWith("]"))
          || (token.startsWith("<") && token.endsWith(">"));
    }
  }

  private TrainTokens() {}

  /**
   * Parses and checks the metadata value; throws {@link IllegalArgumentException} naming the entry.
   * Every regex (a new token's, and a token that is itself a regex) must compile with RE2/J.
   */
  public static List<Entry> parse(String json) {
    if (json.length() > MAX_ENTRIES * (MAX_TOKEN_CHARS + MAX_REGEX_CHARS + 16L) + 16) {
      throw new IllegalArgumentException("train_tokens is too long (" + json.length() + " chars)");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("train_tokens is not valid JSON");
    }
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException("train_tokens must be a JSON array of [token, regex]");
    }
    if (root.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "train_tokens has " + root.size() + " entries; at most " + MAX_ENTRIES);
    }
    List<Entry> out = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < root.size(); i++) {
      JsonNode e = root.get(i);
      String where = "train_tokens[" + i + "]";
      if (!e.isArray() || e.size() < 1 || e.size() > 2 || !e.get(0).isTextual()) {
        throw new IllegalArgumentException(where + " must be [token, regex]");
      }
      String token = e.get(0).asText();
      if (token.isBlank() || token.length() > MAX_TOKEN_CHARS) {
        throw new IllegalArgumentException(
            where + " token must be 1 to " + MAX_TOKEN_CHARS + " characters");
      }
      JsonNode r = e.size() > 1 ? e.get(1) : null;
      if (r != null && !r.isNull() && !r.isTextual()) {
        throw new IllegalArgumentException(where + " regex must be a string or null");
      }
      String regex = r == null || r.isNull() ? null : r.asText();
      Entry entry = new Entry(token, regex);
      if (!entry.isNew()) {
        compile(token, where + " token");
        total += expandedSize(token);
      }
      if (regex != null) {
        compile(regex, where + " regex");
        total += expandedSize(regex);
      }
      if (total > MAX_EXPANDED_TOTAL) {
        throw new IllegalArgumentException(
            "train_tokens regexes are too large together (expanded size over "
                + MAX_EXPANDED_TOTAL
                + ")");
      }
      out.add(entry);
    }
    return List.copyOf(out);
  }

  /** Compiles an untrusted regex with RE2/J within the length and repetition bounds. */
  public static Pattern compile(String regex, String where) {
    if (regex.length() > MAX_REGEX_CHARS) {
      throw new IllegalArgumentException(
          where + " is longer than " + MAX_REGEX_CHARS + " characters");
    }
    java.util.regex.Matcher m = REPEAT.matcher(regex);
    while (m.find()) {
      for (int g = 1; g <= 2; g++) {
        String n = m.group(g);
        if (n != null && !n.isEmpty() && (n.length() > 4 || Integer.parseInt(n) > MAX_REPEAT)) {
          throw new IllegalArgumentException(
              where + " repeats more than " + MAX_REPEAT + " times: " + m.group());
        }
      }
    }
    if (expandedSize(regex) > MAX_EXPANDED) {
      throw new IllegalArgumentException(
          where + " is too large with its repetitions expanded (over " + MAX_EXPANDED + ")");
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          where + " is not a supported regular expression: " + e.getDescription());
    }
  }

  /**
   * An upper estimate of the size of {@code re} with every repetition expanded: atoms count 1, a
   * group the sum of its parts, {@code x{n,m}} m (or n + 1) times x, {@code * + ?} twice x.
   */
  static long expandedSize(String re) {
    java.util.ArrayDeque<long[]> stack = new java.util.ArrayDeque<>();
    long[] cur = {0, 0}; // total of the current group, size of its last atom
    int i = 0;
    while (i < re.length()) {
      char c = re.charAt(i);
      switch (c) {
        case '\\' -> {
          i += 2;
          if (i <= re.length()
              && "xpP".indexOf(re.charAt(i - 1)) >= 0
              && i < re.length()
              && re.charAt(i) == '{') {
            int close = re.indexOf('}', i);
            i = close < 0 ? re.length() : close + 1;
          } else if (i <= re.length() && re.charAt(i - 1) == 'Q') {
            int end = re.indexOf("\\E", i);
            int stop = end < 0 ? re.length() : end;
            cur[0] = sat(cur[0] + (stop - i));
            i = end < 0 ? re.length() : end + 2;
          }
          atom(cur, 1);
          continue;
        }
        case '[' -> {
          int j = i + 1;
          if (j < re.length() && re.charAt(j) == '^') {
            j++;
          }
          if (j < re.length() && re.charAt(j) == ']') {
            j++;
          }
          while (j < re.length() && re.charAt(j) != ']') {
            j += re.charAt(j) == '\\' ? 2 : 1;
          }
          i = j + 1;
          atom(cur, 1);
          continue;
        }
        case '(' -> {
          if (i + 1 < re.length() && re.charAt(i + 1) == '?') {
            int j = i + 2;
            while (j < re.length() && re.charAt(j) != ':' && re.charAt(j) != ')') {
              j++;
            }
            if (j < re.length() && re.charAt(j) == ')') {
              i = j + 1; // a flag group such as (?i)
              continue;
            }
            i = j;
          }
          stack.push(cur);
          cur = new long[] {0, 0};
        }
        case ')' -> {
          long group = cur[0];
          cur = stack.isEmpty() ? new long[] {0, 0} : stack.pop();
          atom(cur, group);
        }
        case '|' -> cur[1] = 0;
        case '*', '+', '?' -> {
          cur[0] = sat(cur[0] + cur[1]);
          cur[1] = sat(2 * cur[1]);
          if (i + 1 < re.length() && re.charAt(i + 1) == '?') {
            i++;
          }
        }
        case '{' -> {
          java.util.regex.Matcher m = REPEAT.matcher(re).region(i, re.length());
          if (m.lookingAt()) {
            long n = Long.parseLong(m.group(1).length() > 6 ? "999999" : m.group(1));
            String max = m.group(2);
            long times =
                max == null
                    ? n
                    : max.isEmpty() ? n + 1 : Long.parseLong(max.length() > 6 ? "999999" : max);
            cur[0] = sat(cur[0] + cur[1] * (Math.max(times, 1) - 1));
            cur[1] = sat(cur[1] * Math.max(times, 1));
            i = m.end();
            continue;
          }
          atom(cur, 1);
        }
        default -> atom(cur, 1);
      }
      i++;
    }
    while (!stack.isEmpty()) {
      long group = cur[0];
      cur = stack.pop();
      atom(cur, group);
    }
    return cur[0];
  }

  private static void atom(long[] cur, long size) {
    cur[0] = sat(cur[0] + size);
    cur[1] = size;
  }

  private static long sat(long v) {
    return Math.min(v, 1L << 40);
  }

  /** The entries of {@code vocabulary} in which {@code regex} finds a match (RE2/J, linear). */
  public static Set<String> matching(String regex, Collection<String> vocabulary) {
    Pattern p = compile(regex, "train_tokens regex");
    Set<String> out = new TreeSet<>();
    for (String v : vocabulary) {
      if (p.matcher(v).find()) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * A {@code java.util.regex} pattern that {@code find}s exactly the strings of {@code keys}: the
   * anchored trie of the keys, every character escaped. Each alternative starts with a distinct
   * character, so a match costs at most the fan-out per character: linear for any input. For code
   * that must be handed a {@code java.util.regex} string; null when {@code keys} is empty.
   */
  public static String exactAlternation(Collection<String> keys) {
    if (keys.isEmpty()) {
      return null;
    }
    Node root = new Node();
    for (String k : keys) {
      Node n = root;
      for (int i = 0; i < k.length(); ) {
        int cp = k.codePointAt(i);
        n = n.children.computeIfAbsent(cp, c -> new Node());
        i += Character.charCount(cp);
      }
      n.terminal = true;
    }
    StringBuilder sb = new StringBuilder("^");
    root.write(sb);
    return sb.append("$").toString();
  }

  private static final class Node {
    final TreeMap<Integer, Node> children = new TreeMap<>();
    boolean terminal;

    void write(StringBuilder sb) {
      if (children.isEmpty()) {
        return;
      }
      boolean group = children.size() > 1 || terminal;
      if (group) {
        sb.append("(?:");
      }
      boolean first = true;
      for (var e : children.entrySet()) {
        if (!first) {
          sb.append('|');
        }
        first = false;
        literal(sb, e.getKey());
        e.getValue().write(sb);
      }
      if (group) {
        sb.append(terminal ? ")?" : ")");
      }
    }

    private static void literal(StringBuilder sb, int cp) {
      if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) {
        sb.appendCodePoint(cp);
      } else {
        sb.append("\\x{").append(Integer.toHexString(cp)).append('}');
      }
    }
  }
}
