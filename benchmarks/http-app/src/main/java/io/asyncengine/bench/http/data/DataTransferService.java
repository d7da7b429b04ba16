package io.asyncengine.bench.http.data;

import io.asyncengine.bench.http.accounts.Transfer;
import io.asyncengine.bench.http.accounts.Transfers;
import io.asyncengine.bench.http.problems.ProblemException;
import java.util.Optional;
import org.springframework.context.annotation.Profile;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The transfer's transaction on repositories, with the sample app's statements in its order: insert
 * the transfer, then debit and credit, the lower account id first. Runs on the caller's thread.
 */
@Service
@Profile("data-jdbc")
public class DataTransferService implements Transfers {

  private final JdbcAggregateOperations aggregates;
  private final AccountRepository accounts;
  private final TransferRepository transfers;

  DataTransferService(JdbcAggregateOperations aggregates, AccountRepository accounts, TransferRepository transfers) {
    this.aggregates = aggregates;
    this.accounts = accounts;
    this.transfers = transfers;
  }

  @Override
  @Transactional
  public void move(Transfer t) {
    aggregates.insert(new TransferRow(t.transferId(), t.fromAccount(), t.toAccount(), t.amount()));
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
    return transfers.findById(transferId).map(r -> new Transfer(r.id(), r.fromAccount(), r.toAccount(), r.amount()));
  }

  private void debit(Transfer t) {
    if (accounts.debit(t.fromAccount(), t.amount()) != 1) {
      if (accounts.balance(t.fromAccount()).isEmpty()) {
        throw ProblemException.notFound("account");
      }
      throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "insufficient-funds", "Insufficient funds",
          "The debited account's balance is lower than the amount.");
    }
  }

  private void credit(Transfer t) {
    if (accounts.credit(t.toAccount(), t.amount()) != 1) {
      throw ProblemException.notFound("account");
    }
  }
}
