package io.asyncengine.sample.accounts;

import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.sample.Await;
import io.asyncengine.sample.problems.ProblemException;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.Objects;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code /api/accounts} and {@code /api/transfers}. A transfer answers {@code 201} the first time
 * and {@code 200} with the same body when its {@code transferId} is sent again; problems:
 * {@code 404} unknown account, {@code 422} insufficient funds or one account on both sides,
 * {@code 409} a {@code transferId} reused for another transfer.
 */
@RestController
public class AccountController {

  private final AsyncSessionFactory sessions;
  private final TransferService transfers;

  AccountController(AsyncSessionFactory sessions, TransferService transfers) {
    this.sessions = sessions;
    this.transfers = transfers;
  }

  /** Opens an account: {@code 201} with {@code Location}. */
  @PostMapping("/api/accounts")
  ResponseEntity<Account> create(@Valid @RequestBody AccountRequest body) {
    Account created = Await.result(sessions.inTransaction(session -> {
      Account pending = new Account(null, Objects.requireNonNull(body.owner()),
          Objects.requireNonNull(body.balance()));
      session.add(pending);
      return session.flush().thenApply(v -> session.current(pending));
    }));
    URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path("/api/accounts/{id}")
        .buildAndExpand(created.id()).toUri();
    return ResponseEntity.created(location).body(created);
  }

  /** One account; {@code 404} for an unknown id. */
  @GetMapping("/api/accounts/{id}")
  Account get(@PathVariable long id) {
    try (AsyncSession session = sessions.openSession()) {
      return Await.result(session.get(Account.class, id)).orElseThrow(() -> ProblemException.notFound("account"));
    }
  }

  /** Moves money; see the class comment for the answers. */
  @PostMapping("/api/transfers")
  ResponseEntity<Transfer> transfer(@Valid @RequestBody TransferRequest body) {
    Transfer asked = new Transfer(Objects.requireNonNull(body.transferId()), Objects.requireNonNull(body.fromAccount()),
        Objects.requireNonNull(body.toAccount()), Objects.requireNonNull(body.amount()));
    TransferService.Outcome outcome = transfers.transfer(asked);
    if (!outcome.performed()) {
      return ResponseEntity.ok(outcome.transfer());
    }
    URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path("/api/transfers/{id}")
        .buildAndExpand(asked.transferId()).toUri();
    return ResponseEntity.created(location).body(outcome.transfer());
  }

  /** A transfer by its client id; {@code 404} when there is none. */
  @GetMapping("/api/transfers/{transferId}")
  Transfer getTransfer(@PathVariable String transferId) {
    return transfers.find(transferId).orElseThrow(() -> ProblemException.notFound("transfer"));
  }
}
