package io.asyncengine.sample.accounts;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/accounts}.
 *
 * @param owner 1 to 200 characters, no control characters
 * @param balance the opening balance in minor units, at least 0
 */
public record AccountRequest(
    @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\p{Cc}]*", message = "must not contain control characters")
    @Nullable String owner,
    @NotNull @PositiveOrZero @Nullable Long balance) {}
