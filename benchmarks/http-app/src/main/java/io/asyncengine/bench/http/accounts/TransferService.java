package io.asyncengine.bench.http.accounts;

import io.asyncengine.bench.http.problems.ProblemException;
import java.util.Optional;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The transfer's transaction, with the sample app's statements in the sample app's order: insert
 * the transfer's row (its id is the primary key, it references both accounts), then debit with
 * {@code balance = balance - ? where balance >= ?} and credit, the lower account id first. A
 * failure rolls everything back. Runs on the caller's (virtual) thread.
 */
@Service
@Profile("!data-jdbc")
public class TransferService implements Transfers {

  private final JdbcClient jdbc;

  TransferService(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  @Transactional
  public void move(Transfer t) {
    jdbc.sql("insert into sample_transfers(id, from_account, to_account, amount) values (?, ?, ?, ?)")
        .params(t.transferId(), t.fromAccount(), t.toAccount(), t.amount())
        .update();
    if (t.fromAccount() < t.toAccount()) {
      debit(t);
      credit(t);
    } else {
      credit(t);
      debit(t);
    }
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<Transfer> find(String transferId) {
    return jdbc.sql("select id, from_account, to_account, amount from sample_transfers where id = ?")
        .param(transferId)
        .query((rs, n) -> new Transfer(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
        .optional();
  }

  private void debit(Transfer t) {
    int rows = jdbc.sql("update sample_accounts set balance = balance - ? where id = ? and balance >= ?")
        .params(t.amount(), t.fromAccount(), t.amount())
        .update();
    if (rows != 1) {
      Optional<Long> balance = jdbc.sql("select balance from sample_accounts where id = ?")
          .param(t.fromAccount())
          .query(Long.class)
          .optional();
      if (balance.isEmpty()) {
        throw ProblemException.notFound("account");
      }
      throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "insufficient-funds", "Insufficient funds",
          "The debited account's balance is lower than the amount.");
    }
  }

  private void credit(Transfer t) {
    int rows = jdbc.sql("update sample_accounts set balance = balance + ? where id = ?")
        .params(t.amount(), t.toAccount())
        .update();
    if (rows != 1) {
      throw ProblemException.notFound("account");
    }
  }
}
