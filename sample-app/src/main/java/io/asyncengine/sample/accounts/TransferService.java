package io.asyncengine.sample.accounts;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.options.RetryPolicy;
import io.asyncengine.result.Row;
import io.asyncengine.sample.Await;
import io.asyncengine.sample.problems.ProblemException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Moves money in one transaction, exactly once per transfer id.
 *
 * <p>The transaction inserts the transfer's row first (its id is the primary key; it references
 * both accounts, so an unknown account fails here), then debits
 * with {@code balance = balance - ? where balance >= ?}, which cannot go negative whatever runs
 * concurrently, then credits; the two accounts are updated in id order, so two opposite transfers
 * do not deadlock. A failure rolls everything back, the transfer's row included. A transaction
 * that loses a conflict (a serialization failure or a deadlock, as at SERIALIZABLE isolation) is
 * run again whole by the {@link RetryPolicy}.
 *
 * <p>Idempotency: a second request with the same id fails on the primary key, changes nothing,
 * and gets the stored transfer back; if it asked for something else, it gets {@code 409}.
 * Thread: any; blocks the calling (virtual) thread while the engine works.
 */
@Service
public class TransferService {

  private static final RetryPolicy RETRY = RetryPolicy.defaults()
      .withMaxAttempts(10)
      .withBackoff(Duration.ofMillis(5), Duration.ofMillis(200));

  private static final Logger log = LoggerFactory.getLogger(TransferService.class);

  private final AsyncEngine engine;

  TransferService(AsyncEngine engine) {
    this.engine = engine;
  }

  /**
   * Performs {@code transfer}, or finds it already done.
   *
   * @return the transfer, and whether this call performed it
   * @throws ProblemException 404 unknown account, 422 insufficient funds or the same account twice,
   *     409 the id was used for a different transfer
   */
  public Outcome transfer(Transfer transfer) {
    if (transfer.fromAccount() == transfer.toAccount()) {
      throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "same-account", "Unprocessable transfer",
          "fromAccount and toAccount must differ.");
    }
    try {
      Await.result(engine.inTransaction(conn -> move(conn, transfer), RETRY));
      return new Outcome(transfer, true);
    } catch (DuplicateKeyException e) {
      Transfer earlier = find(transfer.transferId()).orElseThrow(() -> e);
      if (!earlier.equals(transfer)) {
        throw new ProblemException(HttpStatus.CONFLICT, "transfer-id-reused", "Conflict",
            "This transferId was already used for a different transfer.");
      }
      return new Outcome(earlier, false);
    } catch (DataIntegrityViolationException e) {
      // The transfer's row references both accounts: an unknown one fails its INSERT.
      throw ProblemException.notFound("account");
    }
  }

  /** The transfer stored under {@code transferId}. */
  public Optional<Transfer> find(String transferId) {
    Row row = Await.result(engine.inTransaction(conn -> conn.execute(
        "select id, from_account, to_account, amount from sample_transfers where id = ?", transferId)))
        .first().orElse(null);
    if (row == null) {
      return Optional.empty();
    }
    return Optional.of(new Transfer(String.valueOf(row.get(0)), number(row, 1), number(row, 2), number(row, 3)));
  }

  private static CompletableFuture<Void> move(AsyncConnection conn, Transfer t) {
    boolean debitFirst = t.fromAccount() < t.toAccount();
    return conn.execute("insert into sample_transfers(id, from_account, to_account, amount) values (?, ?, ?, ?)",
            t.transferId(), t.fromAccount(), t.toAccount(), t.amount())
        .thenCompose(r -> debitFirst ? debit(conn, t) : credit(conn, t))
        .thenCompose(v -> debitFirst ? credit(conn, t) : debit(conn, t))
        // A continuation on the engine's thread: the request's MDC (request id, trace) is there too.
        .thenRun(() -> log.debug("Transfer {}: {} moved from account {} to account {}, committing",
            t.transferId(), t.amount(), t.fromAccount(), t.toAccount()));
  }

  private static CompletableFuture<Void> debit(AsyncConnection conn, Transfer t) {
    return conn.execute("update sample_accounts set balance = balance - ? where id = ? and balance >= ?",
            t.amount(), t.fromAccount(), t.amount())
        .thenCompose(result -> result.rowCount() == 1
            ? CompletableFuture.<Void>completedFuture(null)
            : conn.scalar(Number.class, "select balance from sample_accounts where id = ?", t.fromAccount())
                .thenApply(balance -> {
                  if (balance == null) {
                    throw ProblemException.notFound("account");
                  }
                  throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "insufficient-funds",
                      "Insufficient funds", "The debited account's balance is lower than the amount.");
                }));
  }

  private static CompletableFuture<Void> credit(AsyncConnection conn, Transfer t) {
    return conn.execute("update sample_accounts set balance = balance + ? where id = ?", t.amount(), t.toAccount())
        .thenApply(result -> {
          if (result.rowCount() != 1) {
            throw ProblemException.notFound("account");
          }
          return null;
        });
  }

  private static long number(Row row, int index) {
    return ((Number) java.util.Objects.requireNonNull(row.get(index))).longValue();
  }

  /**
   * What {@link #transfer} did.
   *
   * @param transfer the transfer stored under the id
   * @param performed true when this call moved the money, false when an earlier one had
   */
  public record Outcome(Transfer transfer, boolean performed) {}
}
