package io.asyncengine.bench.http.data;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A {@code sample_users} aggregate; serialized as the sample app serializes its user.
 *
 * @param id the id
 * @param name the display name
 * @param email the email address
 * @param version the row's version, the user's {@code ETag} (a plain column here)
 */
@Table("sample_users")
public record UserRow(@Id long id, String name, String email, long version) {}
