package io.asyncengine.sample.accounts;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/transfers}.
 *
 * @param transferId the client's id for this transfer (a UUID, say): sending the same request
 *     again with it never moves the money twice
 * @param fromAccount the account debited
 * @param toAccount the account credited, not {@code fromAccount}
 * @param amount the amount in minor units, positive
 */
public record TransferRequest(
    @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._:-]*", message = "may only contain letters, digits and . _ : -")
    @Nullable String transferId,
    @NotNull @Positive @Nullable Long fromAccount,
    @NotNull @Positive @Nullable Long toAccount,
    @NotNull @Positive @Nullable Long amount) {}
