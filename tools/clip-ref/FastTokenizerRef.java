import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs Hugging Face's Rust {@code tokenizers} library (the backend of transformers'
 * CLIPTokenizerFast, here through DJL's JNI binding ai.djl.huggingface:tokenizers) on a list of
 * prompts, as Stable Cascade calls it: {@code tokenizer(prompt, truncation=True,
 * padding="max_length", max_length=77)}.
 *
 * <p>Usage: {@code java -cp <classpath> FastTokenizerRef.java tokenizer.json prompts.json
 * out.json}; prompts.json is a JSON list of strings; out.json gets {"version": ..., "results":
 * [{"ids": [...], "mask": [...]}, ...]} in the same order.
 */
public class FastTokenizerRef {
  public static void main(String[] args) throws Exception {
    Path tokenizerJson = Path.of(args[0]);
    ObjectMapper json = new ObjectMapper();
    List<?> prompts = json.readValue(Files.readString(Path.of(args[1])), List.class);
    Map<String, String> options = new LinkedHashMap<>();
    options.put("addSpecialTokens", "true");
    options.put("truncation", "true");
    options.put("padding", "max_length");
    options.put("maxLength", "77");
    List<Map<String, Object>> results = new ArrayList<>();
    String version;
    try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, options)) {
      version = tokenizer.getVersion();
      for (Object prompt : prompts) {
        Encoding e = tokenizer.encode((String) prompt);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ids", e.getIds());
        r.put("mask", e.getAttentionMask());
        results.add(r);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("version", version);
    out.put("results", results);
    Files.writeString(Path.of(args[2]), json.writeValueAsString(out));
  }
}
