package io.asyncengine.bench.http.accounts;

/**
 * A transfer, as stored in {@code sample_transfers} under the client's id.
 *
 * @param transferId the client's id
 * @param fromAccount the account debited
 * @param toAccount the account credited
 * @param amount the amount in minor units
 */
public record Transfer(String transferId, long fromAccount, long toAccount, long amount) {}
