package io.asyncengine.bench.http.accounts;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/transfers}, with the sample app's constraints.
 *
 * @param transferId the client's id for this transfer
 * @param fromAccount the account debited
 * @param toAccount the account credited
 * @param amount the amount in minor units, positive
 */
public record TransferRequest(
    @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._:-]*", message = "may only contain letters, digits and . _ : -")
    @Nullable String transferId,
    @NotNull @Positive @Nullable Long fromAccount,
    @NotNull @Positive @Nullable Long toAccount,
    @NotNull @Positive @Nullable Long amount) {}
