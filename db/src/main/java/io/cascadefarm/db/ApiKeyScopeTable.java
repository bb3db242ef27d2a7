package io.cascadefarm.db;

import io.cascadefarm.common.port.ApiKeyScopes;
import io.cascadefarm.common.port.Scopes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;

/** The {@code api_keys.scopes} column (V60): submit, read, admin. */
public final class ApiKeyScopeTable implements ApiKeyScopes {
  private final Transactions tx;

  public ApiKeyScopeTable(DataSource dataSource) {
    this.tx = new Transactions(dataSource);
  }

  @Override
  public Optional<Set<String>> scopesOf(UUID keyId) {
    return tx.inTx(
        "scopes of API key " + keyId,
        c -> {
          try (PreparedStatement ps =
                  WorkerTable.prepare(c, "SELECT scopes FROM api_keys WHERE id = ?", keyId);
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(scopes(rs)) : Optional.empty();
          }
        });
  }

  @Override
  public boolean setScopes(UUID keyId, Set<String> scopes) {
    String[] a = Scopes.array(Scopes.parse(String.join(",", scopes)));
    return tx.inTx(
        "set scopes of API key " + keyId,
        c -> WorkerTable.update(c, "UPDATE api_keys SET scopes = ? WHERE id = ?", a, keyId) == 1);
  }

  @Override
  public Map<UUID, Set<String>> allScopes() {
    return tx.inTx(
        "scopes of API keys",
        c -> {
          Map<UUID, Set<String>> out = new LinkedHashMap<>();
          try (PreparedStatement ps = WorkerTable.prepare(c, "SELECT id, scopes FROM api_keys");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.put(rs.getObject("id", UUID.class), scopes(rs));
            }
          }
          return out;
        });
  }

  private static Set<String> scopes(ResultSet rs) throws SQLException {
    Set<String> out = new TreeSet<>();
    java.sql.Array a = rs.getArray("scopes");
    if (a != null) {
      for (Object o : (Object[]) a.getArray()) {
        out.add(String.valueOf(o));
      }
    }
    return out;
  }
}
