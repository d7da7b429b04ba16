package io.asyncengine.bench.http.accounts;

import java.util.Optional;

/**
 * The transfer's transaction, on JdbcClient ({@link TransferService}) or on Spring Data JDBC
 * (profile {@code data-jdbc}); both run the sample app's statements in its order.
 */
public interface Transfers {

  /**
   * Moves the money in one transaction: inserts the transfer, debits and credits.
   *
   * @throws org.springframework.dao.DuplicateKeyException when the transfer id is taken
   * @throws org.springframework.dao.DataIntegrityViolationException when an account does not exist
   * @throws io.asyncengine.bench.http.problems.ProblemException 422 on insufficient funds, 404 for an unknown account
   */
  void move(Transfer transfer);

  /** The transfer stored under {@code transferId}. */
  Optional<Transfer> find(String transferId);
}
