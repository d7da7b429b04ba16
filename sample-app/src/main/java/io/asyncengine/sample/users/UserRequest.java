package io.asyncengine.sample.users;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The body of a create or update. Names may hold any printable text (quotes, emoji,
 * right-to-left marks are stored verbatim) but no control characters such as NUL, which
 * PostgreSQL cannot store in text.
 *
 * @param name 1 to 200 characters, no control characters
 * @param email a valid address of at most 254 characters
 */
public record UserRequest(
    @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\p{Cc}]*", message = "must not contain control characters")
    @Nullable String name,
    @NotBlank @Email @Size(max = 254) @Pattern(regexp = "[^\\p{Cc}]*", message = "must not contain control characters")
    @Nullable String email) {}
