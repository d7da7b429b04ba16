package io.asyncengine.bench.http.users;

/**
 * A row of {@code sample_users}, as the sample app returns it.
 *
 * @param id the id
 * @param name the display name
 * @param email the email address
 * @param version the row's version, the user's {@code ETag}
 */
public record User(long id, String name, String email, long version) {}
