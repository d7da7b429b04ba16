package io.asyncengine.bench.http.data;

import java.util.Optional;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.Repository;

/** The sample app's account statements as repository methods. */
public interface AccountRepository extends Repository<AccountRow, Long> {

  /** Takes {@code amount} from account {@code id} if its balance allows; the rows changed (0 or 1). */
  @Modifying
  @Query("update sample_accounts set balance = balance - :amount where id = :id and balance >= :amount")
  int debit(long id, long amount);

  /** Adds {@code amount} to account {@code id}; the rows changed (0 or 1). */
  @Modifying
  @Query("update sample_accounts set balance = balance + :amount where id = :id")
  int credit(long id, long amount);

  /** The balance of account {@code id}. */
  @Query("select balance from sample_accounts where id = :id")
  Optional<Long> balance(long id);
}
