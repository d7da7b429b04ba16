package io.asyncengine.sample.users;

import io.asyncengine.mapping.Id;
import io.asyncengine.mapping.Table;
import io.asyncengine.mapping.Version;
import org.jspecify.annotations.Nullable;

/**
 * A user, stored in {@code sample_users}: the id is generated on INSERT, the version counts
 * updates (optimistic locking: the session guards UPDATE and DELETE with the version it read) and
 * is the user's {@code ETag}.
 *
 * @param id the generated id, null before the INSERT
 * @param name the display name
 * @param email the email address, unique
 * @param version 1 after the INSERT, incremented by each UPDATE
 */
@Table("sample_users")
public record User(@Id @Nullable Long id, String name, String email, @Version long version) {}
