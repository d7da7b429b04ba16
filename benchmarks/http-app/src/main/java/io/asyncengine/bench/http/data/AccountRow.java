package io.asyncengine.bench.http.data;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A {@code sample_accounts} aggregate.
 *
 * @param id the id
 * @param owner who owns it
 * @param balance the balance in minor units
 */
@Table("sample_accounts")
public record AccountRow(@Id long id, String owner, long balance) {}
