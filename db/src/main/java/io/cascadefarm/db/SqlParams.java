package io.cascadefarm.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Binds positional parameters: instants as timestamptz, string, UUID and long arrays as SQL arrays.
 */
final class SqlParams {
  private SqlParams() {}

  static void bind(PreparedStatement ps, List<?> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      bindOne(ps, i + 1, params.get(i));
    }
  }

  private static void bindOne(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.NULL);
    } else if (value instanceof Instant t) {
      ps.setObject(index, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    } else if (value instanceof String[] a) {
      ps.setArray(index, ps.getConnection().createArrayOf("text", a));
    } else if (value instanceof java.util.UUID[] a) {
      ps.setArray(index, ps.getConnection().createArrayOf("uuid", a));
    } else if (value instanceof Long[] a) {
      ps.setArray(index, ps.getConnection().createArrayOf("bigint", a));
    } else {
      ps.setObject(index, value);
    }
  }
}
