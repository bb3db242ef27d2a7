package io.cascadefarm.common.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.cascadefarm.common.job.JobEvent;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobStatus;
import java.io.IOException;
import java.util.Locale;

/** Writes and reads the domain enums by their lower-case wire names. */
final class WireEnumModule extends SimpleModule {

  WireEnumModule() {
    register(JobStatus.class);
    register(JobKind.class);
    register(JobEvent.class);
  }

  private <E extends Enum<E>> void register(Class<E> type) {
    addSerializer(
        type,
        new JsonSerializer<E>() {
          @Override
          public void serialize(E value, JsonGenerator gen, SerializerProvider p)
              throws IOException {
            gen.writeString(value.name().toLowerCase(Locale.ROOT));
          }
        });
    addDeserializer(
        type,
        new JsonDeserializer<E>() {
          @Override
          public E deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String text = p.getValueAsString();
            try {
              return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
              throw ctx.weirdStringException(text, type, "not a valid " + type.getSimpleName());
            }
          }
        });
  }
}
