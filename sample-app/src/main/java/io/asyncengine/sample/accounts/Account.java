package io.asyncengine.sample.accounts;

import io.asyncengine.mapping.Id;
import io.asyncengine.mapping.Table;
import org.jspecify.annotations.Nullable;

/**
 * An account in {@code sample_accounts}; the balance is in minor units (cents) and never
 * negative (the table has a check for it too).
 *
 * @param id the generated id, null before the INSERT
 * @param owner who owns it
 * @param balance the balance in minor units
 */
@Table("sample_accounts")
public record Account(@Id @Nullable Long id, String owner, long balance) {}
