package io.cascadefarm.db;

import io.cascadefarm.common.port.ApiKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code api_keys} table: only the SHA-256 of a secret is stored. */
final class ApiKeyTable {
  private static final String COLUMNS = "id, tenant, name, created_at, revoked_at";
  private final Transactions tx;
  private final Clock clock;

  ApiKeyTable(Transactions tx, Clock clock) {
    this.tx = tx;
    this.clock = clock;
  }

  ApiKey create(String tenant, String name, String keySha256) {
    if (tenant == null || tenant.isBlank() || name == null || keySha256 == null) {
      throw new IllegalArgumentException("tenant, name and key hash are required");
    }
    ApiKey key = new ApiKey(UUID.randomUUID(), tenant, name, Sql.now(clock), null);
    return tx.inTx(
        "create API key",
        c -> {
          try {
            Sql.update(
                c,
                "INSERT INTO api_keys (id, tenant, name, key_sha256, created_at)"
                    + " VALUES (?, ?, ?, ?, ?)",
                key.id(),
                tenant,
                name,
                keySha256,
                key.createdAt());
          } catch (SQLException e) {
            throw Sql.duplicateOr(e, "an API key with this hash");
          }
          return key;
        });
  }

  List<ApiKey> list() {
    return tx.inTx(
        "list API keys",
        c ->
            Sql.list(
                c,
                "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id",
                ApiKeyTable::apiKey));
  }

  boolean revoke(UUID id) {
    return tx.inTx(
        "revoke API key " + id,
        c ->
            Sql.update(
                    c,
                    "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                    Sql.now(clock),
                    id)
                == 1);
  }

  Optional<ApiKey> find(String keySha256) {
    return tx.inTx(
        "find API key",
        c ->
            Sql.one(
                c,
                "SELECT " + COLUMNS + " FROM api_keys WHERE key_sha256 = ?",
                ApiKeyTable::apiKey,
                keySha256));
  }

  private static ApiKey apiKey(ResultSet rs) throws SQLException {
    return new ApiKey(
        rs.getObject("id", UUID.class),
        rs.getString("tenant"),
        rs.getString("name"),
        JobRows.instant(rs, "created_at"),
        JobRows.instant(rs, "revoked_at"));
  }
}
