package io.cascadefarm.common.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.json.Json;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One field of the job contract, declared once: its wire name, JSON type, bounds, default and
 * description. The same declaration checks a request body (as a JSON tree, before it becomes {@link
 * JobParams}), checks a stored job again on the worker, fills defaults, and renders its OpenAPI 3.0
 * schema. Declared with the fluent methods below in {@link JobContract}'s static initialiser and
 * never changed after.
 */
public final class Field {
  /** The JSON type of a field. {@code MAP} is a free-form object. */
  public enum Type {
    STRING,
    INTEGER,
    NUMBER,
    OBJECT,
    ARRAY,
    MAP
  }

  /**
   * Whether jobs of one batched render must agree on the field ({@code SHARED}: it is part of the
   * batch key) or may differ row by row ({@code PER_JOB}: prompt, seed, input image, ...).
   */
  public enum Batch {
    SHARED,
    PER_JOB
  }

  /** A default that depends on the job's other fields (or draws a random seed). */
  @FunctionalInterface
  interface DefaultRule {
    /** The default for {@code p} (of the field's Java type), or null when it stays unset. */
    Object of(JobParams p, LongSupplier seeds);
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String name;
  private final Type type;
  private String description = "";
  private Batch batch = Batch.SHARED;
  private boolean required;
  private boolean readOnly;
  // INTEGER
  private long min = Long.MIN_VALUE;
  private long max = Long.MAX_VALUE;
  private int multipleOf;
  // NUMBER
  private double minNumber;
  private double maxNumber;
  private boolean exclusiveMinimum;
  // STRING
  private int maxLength = Integer.MAX_VALUE;
  private List<String> allowed;
  private Pattern alsoMatching;
  private String alsoRule;
  private Pattern pattern;
  private String patternRule;
  // INTEGER maximum or STRING maxLength that an operator may lower
  private ToIntFunction<JobLimits> limit;
  // OBJECT
  private List<Field> properties = List.of();
  private String unknownHint;
  // ARRAY
  private Field items;
  private int maxItems = Integer.MAX_VALUE;
  private String tooMany;
  private boolean nullableItems;
  // MAP
  private int maxBytes = Integer.MAX_VALUE;
  // MAP of strings (labels): each key matches keyPattern, each value a string of at most
  // maxValueLength characters, at most maxEntries entries; null for a free-form map
  private Pattern keyPattern;
  private String keyRule;
  private int maxEntries;
  private int maxValueLength;
  // defaults and access
  private Object defaultValue;
  private DefaultRule computedDefault;
  private String defaultText;
  private Function<Object, Object> getter;
  private BiConsumer<JobParams.Builder, Object> setter;
  private Function<List<Object>, Object> assembler;

  private Field(String name, Type type) {
    this.name = name;
    this.type = type;
  }

  // ---------------------------------------------------------------- declaration

  /** A string of at most {@code maxLength} characters (never with NUL characters). */
  public static Field string(String name, int maxLength) {
    Field f = new Field(name, Type.STRING);
    f.maxLength = maxLength;
    return f;
  }

  /** An integer in [min, max]. */
  public static Field integer(String name, long min, long max) {
    Field f = new Field(name, Type.INTEGER);
    f.min = min;
    f.max = max;
    return f;
  }

  /** A finite number in [min, max] (or (min, max] with {@link #exclusiveMinimum()}). */
  public static Field number(String name, double min, double max) {
    Field f = new Field(name, Type.NUMBER);
    f.minNumber = min;
    f.maxNumber = max;
    return f;
  }

  /** An object with exactly these properties (unknown ones are errors). */
  public static Field object(String name, Field... properties) {
    Field f = new Field(name, Type.OBJECT);
    f.properties = List.of(properties);
    f.unknownHint =
        "unknown field (expected "
            + f.properties.stream().map(Field::name).collect(Collectors.joining(", "))
            + ")";
    return f;
  }

  /** An array of at most {@code maxItems} items; {@code tooMany} is the message past that. */
  public static Field array(String name, Field items, int maxItems, String tooMany) {
    Field f = new Field(name, Type.ARRAY);
    f.items = items;
    f.maxItems = maxItems;
    f.tooMany = tooMany;
    return f;
  }

  /** A free-form JSON object of at most {@code maxBytes} bytes once serialised. */
  public static Field map(String name, int maxBytes) {
    Field f = new Field(name, Type.MAP);
    f.maxBytes = maxBytes;
    return f;
  }

  /**
   * Restricts a {@link #map} to at most {@code entries} string values of at most {@code
   * valueLength} characters, under keys matching {@code keyRegex} ({@code keyRule} says how).
   */
  Field stringValues(int entries, String keyRegex, String keyRule, int valueLength) {
    maxEntries = entries;
    keyPattern = Pattern.compile(keyRegex);
    this.keyRule = keyRule;
    maxValueLength = valueLength;
    return this;
  }

  Field describe(String text) {
    description = text;
    return this;
  }

  Field oneOf(List<String> values) {
    allowed = List.copyOf(values);
    return this;
  }

  /**
   * Besides the {@link #oneOf} values, any value matching {@code regex} is accepted ({@code rule}
   * describes such values in the error message), e.g. a fine-tuned model {@code <tenant>/<name>}.
   */
  Field orMatching(String regex, String rule) {
    alsoMatching = Pattern.compile(regex);
    alsoRule = rule;
    return this;
  }

  /** The whole value must match {@code regex}; {@code rule} is the error message otherwise. */
  Field pattern(String regex, String rule) {
    pattern = Pattern.compile(regex);
    patternRule = rule;
    return this;
  }

  Field multipleOf(int m) {
    multipleOf = m;
    return this;
  }

  Field exclusiveMinimum() {
    exclusiveMinimum = true;
    return this;
  }

  /** The maximum (integer) or maxLength (string) is {@code limit} of the configured limits. */
  Field limit(ToIntFunction<JobLimits> l) {
    limit = l;
    return this;
  }

  Field required() {
    required = true;
    return this;
  }

  /**
   * Set by the server, never by clients (e.g. a hash pinned at submit): a body that sends it is
   * refused naming the field; a stored job may carry it. OpenAPI shows it as {@code readOnly}.
   */
  Field readOnly() {
    readOnly = true;
    return this;
  }

  /** An array whose items may be JSON null (kept as null), e.g. {@code ["^cat", null]}. */
  Field nullableItems() {
    nullableItems = true;
    return this;
  }

  Field perJob() {
    batch = Batch.PER_JOB;
    return this;
  }

  /**
   * A default that does not depend on other fields (shown as {@code default} in OpenAPI), as a
   * value of the field's Java type.
   */
  Field defaultValue(Object value) {
    defaultValue = value;
    return this;
  }

  /** A default computed from the job's other fields; {@code text} explains it in the docs. */
  Field defaultFrom(DefaultRule value, String text) {
    computedDefault = value;
    defaultText = text;
    return this;
  }

  /** How to read the field from its owner ({@link JobParams}, or the object field's value). */
  @SuppressWarnings("unchecked")
  <O> Field get(Function<O, ?> g) {
    getter = (Function<Object, Object>) g;
    return this;
  }

  /** How to set the field on a {@link JobParams.Builder} (top-level fields). */
  Field set(BiConsumer<JobParams.Builder, Object> s) {
    setter = s;
    return this;
  }

  /** How an object field's value is made from its properties' values, in declaration order. */
  Field assemble(Function<List<Object>, Object> a) {
    assembler = a;
    return this;
  }

  // ---------------------------------------------------------------- reading the declaration

  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  public String description() {
    return description;
  }

  public Batch batch() {
    return batch;
  }

  public boolean isRequired() {
    return required;
  }

  public boolean isReadOnly() {
    return readOnly;
  }

  public List<Field> properties() {
    return properties;
  }

  public Field items() {
    return items;
  }

  public List<String> allowed() {
    return allowed;
  }

  /** The property called {@code n}, or null. */
  public Field property(String n) {
    for (Field f : properties) {
      if (f.name.equals(n)) {
        return f;
      }
    }
    return null;
  }

  /** Whether {@code value} matches this string field's pattern (true if it has none). */
  public boolean matches(String value) {
    return pattern == null || (value != null && pattern.matcher(value).matches());
  }

  /**
   * The field's value in {@code owner}: a {@link JobParams} for top-level fields, the object
   * field's value (e.g. a {@link io.cascadefarm.common.job.StageParams}) for its properties.
   */
  public Object valueIn(Object owner) {
    return getter.apply(owner);
  }

  /** Sets the field (top-level) on {@code b}. */
  void setIn(JobParams.Builder b, Object value) {
    setter.accept(b, value);
  }

  /** An object field's value from its properties' values. */
  Object assembleFrom(List<Object> values) {
    return assembler.apply(values);
  }

  /** The default for {@code p}, or null when the field has none. */
  Object defaultFor(JobParams p, LongSupplier seeds) {
    return computedDefault != null ? computedDefault.of(p, seeds) : defaultValue;
  }

  boolean hasDefault() {
    return computedDefault != null || defaultValue != null;
  }

  /** The least integer (INTEGER) allowed. */
  public long minimum() {
    return min;
  }

  /** The least number (NUMBER); excluded itself when {@link #isExclusiveMinimum()}. */
  public double minimumNumber() {
    return minNumber;
  }

  public double maximumNumber() {
    return maxNumber;
  }

  public boolean isExclusiveMinimum() {
    return exclusiveMinimum;
  }

  public int multipleOfValue() {
    return multipleOf;
  }

  public int maxItems() {
    return maxItems;
  }

  public int maxBytes() {
    return maxBytes;
  }

  /** The constant default, or null (none, or one computed from other fields). */
  public Object constantDefault() {
    return defaultValue;
  }

  /** The greatest integer (INTEGER) allowed with {@code limits}. */
  public long maxInteger(JobLimits limits) {
    return limit == null ? max : Math.min(max, limit.applyAsInt(limits));
  }

  /** The most characters (STRING) allowed with {@code limits}. */
  public int maxLength(JobLimits limits) {
    return limit == null ? maxLength : Math.min(maxLength, limit.applyAsInt(limits));
  }

  // ---------------------------------------------------------------- checking

  /**
   * Checks one value of this field, of a client's body or, with {@code stored}, of a stored job
   * (which may carry {@link #readOnly()} fields). Reports every problem under {@code path} and
   * returns the value to keep: null when it is absent, JSON null or invalid; for objects and arrays
   * a copy without the invalid parts (and, for array items, with the declared defaults of missing
   * properties).
   */
  JsonNode check(JsonNode v, String path, JobLimits limits, Problems out, boolean stored) {
    if (v == null || v.isNull()) {
      return null;
    }
    return switch (type) {
      case STRING -> checkString(v, path, limits, out);
      case INTEGER -> checkInteger(v, path, limits, out);
      case NUMBER -> checkNumber(v, path, out);
      case OBJECT -> checkObject(v, path, limits, out, unknownHint, false, stored);
      case ARRAY -> checkArray(v, path, limits, out, stored);
      case MAP -> checkMap(v, path, out);
    };
  }

  private JsonNode checkString(JsonNode v, String path, JobLimits limits, Problems out) {
    if (!v.isTextual()) {
      return wrong(v, path, "must be a string", out);
    }
    String s = v.textValue();
    int most = maxLength(limits);
    if (s.length() > most) {
      out.add(path, "must be at most " + most + " characters, got " + s.length());
      return null;
    }
    if (s.indexOf('\u0000') >= 0) {
      out.add(path, "must not contain NUL characters");
      return null;
    }
    if (allowed != null
        && !allowed.contains(s)
        && (alsoMatching == null || !alsoMatching.matcher(s).matches())) {
      out.add(
          path,
          "must be one of "
              + String.join(", ", allowed)
              + (alsoMatching == null ? "" : ", or " + alsoRule)
              + ", got '"
              + clip(s)
              + "'");
      return null;
    }
    if (pattern != null && !pattern.matcher(s).matches()) {
      out.add(path, patternRule);
      return null;
    }
    return v;
  }

  private JsonNode checkInteger(JsonNode v, String path, JobLimits limits, Problems out) {
    long most = maxInteger(limits);
    String range = "must be an integer between " + min + " and " + most;
    if (v.isFloatingPointNumber()) {
      out.add(path, range + ", got a fraction");
      return null;
    }
    if (!v.isIntegralNumber()) {
      return wrong(v, path, range, out);
    }
    BigInteger b = v.bigIntegerValue();
    if (b.compareTo(BigInteger.valueOf(min)) < 0 || b.compareTo(BigInteger.valueOf(most)) > 0) {
      out.add(path, range + ", got " + v.asText());
      return null;
    }
    if (multipleOf > 0 && b.mod(BigInteger.valueOf(multipleOf)).signum() != 0) {
      out.add(path, "must be a multiple of " + multipleOf + ", got " + b);
      return null;
    }
    return v;
  }

  private JsonNode checkNumber(JsonNode v, String path, Problems out) {
    String range =
        "must be a number "
            + (exclusiveMinimum ? "greater than " : "between ")
            + fmt(minNumber)
            + (exclusiveMinimum ? " and at most " : " and ")
            + fmt(maxNumber);
    if (!v.isNumber()) {
      return wrong(v, path, range, out);
    }
    double d = v.doubleValue();
    boolean low = exclusiveMinimum ? d <= minNumber : d < minNumber;
    if (!Double.isFinite(d) || low || d > maxNumber) {
      out.add(path, range + ", got " + v.asText());
      return null;
    }
    return v;
  }

  /** Also checks a whole job ({@code root}): its unknown fields get {@code unknown}. */
  ObjectNode checkObject(
      JsonNode v,
      String path,
      JobLimits limits,
      Problems out,
      String unknown,
      boolean fill,
      boolean stored) {
    if (!v.isObject()) {
      return wrong(v, path, "must be an object " + shape(), out);
    }
    ObjectNode clean = NODES.objectNode();
    Iterator<Map.Entry<String, JsonNode>> it = v.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      Field f = property(e.getKey());
      String p = join(path, e.getKey());
      if (f == null) {
        out.add(p, unknown);
        continue;
      }
      if (f.readOnly && !stored && !e.getValue().isNull()) {
        out.add(p, "is set by the server, not by clients");
        continue;
      }
      JsonNode c = f.check(e.getValue(), p, limits, out, stored);
      if (c != null) {
        clean.set(f.name, c);
      }
    }
    for (Field f : properties) {
      JsonNode given = v.get(f.name);
      if (f.required && (given == null || given.isNull())) {
        out.add(join(path, f.name), "is required");
      } else if (fill && given == null && f.defaultValue != null) {
        clean.set(f.name, Json.mapper().valueToTree(f.defaultValue));
      }
    }
    return clean;
  }

  private JsonNode checkArray(
      JsonNode v, String path, JobLimits limits, Problems out, boolean stored) {
    if (!v.isArray()) {
      return wrong(v, path, "must be an array of " + items.shape(), out);
    }
    ArrayNode clean = NODES.arrayNode();
    for (int i = 0; i < v.size(); i++) {
      if (i == maxItems) {
        out.add(path, tooMany);
      }
      String p = path + "[" + i + "]";
      JsonNode item = v.get(i);
      if (nullableItems && (item == null || item.isNull())) {
        if (i < maxItems) {
          clean.add(NODES.nullNode());
        }
        continue;
      }
      JsonNode c =
          item == null || item.isNull()
              ? wrong(NODES.nullNode(), p, "must be an object " + items.shape(), out)
              : items.type == Type.OBJECT
                  ? items.checkObject(item, p, limits, out, items.unknownHint, true, stored)
                  : items.check(item, p, limits, out, stored);
      if (c != null && i < maxItems && (items.type != Type.OBJECT || complete(c))) {
        clean.add(c);
      }
    }
    return clean;
  }

  /** Whether an array item kept every required property (an item without them is dropped). */
  private boolean complete(JsonNode item) {
    return items.properties.stream().noneMatch(f -> f.required && !item.has(f.name));
  }

  private JsonNode checkMap(JsonNode v, String path, Problems out) {
    if (!v.isObject()) {
      return wrong(v, path, "must be an object", out);
    }
    int size = Json.toBytes(v).length;
    if (size > maxBytes) {
      out.add(path, "must be at most " + maxBytes + " bytes of JSON, got " + size);
      return null;
    }
    if (hasNul(v)) {
      // PostgreSQL JSONB cannot store U+0000 (it would fail the insert with a 5xx)
      out.add(path, "must not contain NUL characters (\\u0000) in keys or values");
      return null;
    }
    if (keyPattern != null && !checkStringValues(v, path, out)) {
      return null;
    }
    ObjectNode clean = NODES.objectNode();
    v.fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isNull()) {
                clean.set(e.getKey(), e.getValue());
              }
            });
    return clean;
  }

  /** The rules of {@link #stringValues}: false (reported) when any is broken. */
  private boolean checkStringValues(JsonNode v, String path, Problems out) {
    if (v.size() > maxEntries) {
      out.add(path, "must have at most " + maxEntries + " entries, got " + v.size());
      return false;
    }
    boolean ok = true;
    Iterator<Map.Entry<String, JsonNode>> it = v.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = join(path, e.getKey());
      if (!keyPattern.matcher(e.getKey()).matches()) {
        out.add(path, "key '" + clip(e.getKey()) + "' " + keyRule);
        ok = false;
      } else if (!e.getValue().isTextual()) {
        out.add(p, "must be a string, got " + describe(e.getValue()));
        ok = false;
      } else if (e.getValue().textValue().length() > maxValueLength) {
        out.add(p, "must be at most " + maxValueLength + " characters");
        ok = false;
      }
    }
    return ok;
  }

  /** {steps, guidance, shift} for an object field. */
  String shape() {
    return "{" + properties.stream().map(Field::name).collect(Collectors.joining(", ")) + "}";
  }

  private static <T> T wrong(JsonNode v, String path, String expected, Problems out) {
    out.add(path, expected + ", got " + describe(v));
    return null;
  }

  /** "a string", "an object", ... for error messages. */
  public static String describe(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "nothing";
    }
    if (v.isObject()) {
      return "an object";
    }
    if (v.isArray()) {
      return "an array";
    }
    if (v.isTextual()) {
      return "a string";
    }
    if (v.isNumber()) {
      return "a number";
    }
    if (v.isBoolean()) {
      return "a boolean";
    }
    return "null";
  }

  private static boolean hasNul(JsonNode n) {
    if (n.isTextual()) {
      return n.textValue().indexOf('\u0000') >= 0;
    }
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      if (names.next().indexOf('\u0000') >= 0) {
        return true;
      }
    }
    for (JsonNode child : n) {
      if (hasNul(child)) {
        return true;
      }
    }
    return false;
  }

  static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /** A user value shortened for an error message. */
  static String clip(String v) {
    return v.length() <= 40 ? v : v.substring(0, 40) + "...";
  }

  static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  // ---------------------------------------------------------------- OpenAPI

  /** This field as an OpenAPI 3.0 Schema Object, with the configured {@code limits}. */
  ObjectNode schema(JobLimits limits) {
    ObjectNode s = NODES.objectNode();
    switch (type) {
      case STRING -> {
        s.put("type", "string");
        if (allowed != null && alsoMatching != null) {
          s.put("maxLength", maxLength(limits));
          s.put(
              "pattern",
              "^(?:"
                  + String.join("|", allowed)
                  + "|"
                  + alsoMatching.pattern()
                  + ")$"); // the named values or the other form
        } else if (allowed != null) {
          ArrayNode e = s.putArray("enum");
          allowed.forEach(e::add);
        } else {
          s.put("maxLength", maxLength(limits));
        }
        if (pattern != null) {
          s.put("pattern", "^" + pattern.pattern() + "$");
        }
      }
      case INTEGER -> {
        s.put("type", "integer");
        long most = maxInteger(limits);
        if (most > Integer.MAX_VALUE || min < Integer.MIN_VALUE) {
          s.put("format", "int64");
        }
        s.put("minimum", min);
        s.put("maximum", most);
        if (multipleOf > 0) {
          s.put("multipleOf", multipleOf);
        }
      }
      case NUMBER -> {
        s.put("type", "number");
        putNumber(s, "minimum", minNumber);
        if (exclusiveMinimum) {
          s.put("exclusiveMinimum", true); // OpenAPI 3.0: a boolean beside minimum
        }
        putNumber(s, "maximum", maxNumber);
      }
      case OBJECT -> {
        s.put("type", "object");
        s.put("additionalProperties", false);
        List<String> req = new ArrayList<>();
        ObjectNode props = s.putObject("properties");
        for (Field f : properties) {
          props.set(f.name, f.schema(limits));
          if (f.required) {
            req.add(f.name);
          }
        }
        if (!req.isEmpty()) {
          ArrayNode r = s.putArray("required");
          req.forEach(r::add);
        }
      }
      case ARRAY -> {
        s.put("type", "array");
        s.put("maxItems", maxItems);
        ObjectNode itemSchema = items.schema(limits);
        if (nullableItems) {
          itemSchema.put("nullable", true);
        }
        s.set("items", itemSchema);
      }
      case MAP -> {
        s.put("type", "object");
        if (keyPattern != null) {
          s.put("maxProperties", maxEntries);
          ObjectNode values = s.putObject("additionalProperties");
          values.put("type", "string");
          values.put("maxLength", maxValueLength);
        }
      }
    }
    if (defaultValue != null) {
      s.set("default", Json.mapper().valueToTree(defaultValue));
    }
    if (readOnly) {
      s.put("readOnly", true);
    }
    String text = description;
    if (defaultText != null) {
      text = text.isEmpty() ? "default: " + defaultText : text + "; default: " + defaultText;
    }
    if (!text.isEmpty()) {
      s.put("description", text);
    }
    return s;
  }

  private static void putNumber(ObjectNode s, String key, double d) {
    if (d == Math.rint(d)) {
      s.put(key, (long) d);
    } else {
      s.put(key, d);
    }
  }

  @Override
  public String toString() {
    return name + " (" + type.name().toLowerCase(java.util.Locale.ROOT) + ")";
  }
}
