package io.asyncengine.bench.http.data;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A {@code sample_transfers} aggregate, keyed by the client's id.
 *
 * @param id the client's transfer id
 * @param fromAccount the account debited
 * @param toAccount the account credited
 * @param amount the amount in minor units
 */
@Table("sample_transfers")
public record TransferRow(@Id String id, long fromAccount, long toAccount, long amount) {}
