package io.asyncengine.sample.users;

import io.asyncengine.sample.problems.ProblemException;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A whitelisted {@code ORDER BY}: the client names a field and a direction, and the SQL is taken
 * from this table, never from the request, so a sort parameter cannot inject SQL.
 *
 * @param field the field, one of {@code id}, {@code name}, {@code email}
 * @param descending whether the order is descending
 */
record UserSort(String field, boolean descending) {

  private static final Map<String, String> COLUMNS = Map.of("id", "id", "name", "name", "email", "email");

  /**
   * Parses {@code field[,asc|desc]}.
   *
   * @throws ProblemException 400 for an unknown field or direction
   */
  static UserSort parse(String value) {
    String[] parts = value.split(",", -1);
    String field = parts[0].trim().toLowerCase(Locale.ROOT);
    String direction = parts.length > 1 ? parts[1].trim().toLowerCase(Locale.ROOT) : "asc";
    if (!COLUMNS.containsKey(field) || parts.length > 2 || !(direction.equals("asc") || direction.equals("desc"))) {
      throw new ProblemException(HttpStatus.BAD_REQUEST, "bad-sort", "Invalid request",
          "sort must be one of id, name, email, optionally followed by ,asc or ,desc.");
    }
    return new UserSort(field, direction.equals("desc"));
  }

  /** The ORDER BY clause, with the id as tie-breaker so pages are stable. */
  String orderBy() {
    String direction = descending ? " desc" : " asc";
    String column = COLUMNS.get(field);
    return column.equals("id") ? "id" + direction : column + direction + ", id" + direction;
  }

  @Override
  public String toString() {
    return field + (descending ? ",desc" : ",asc");
  }
}
