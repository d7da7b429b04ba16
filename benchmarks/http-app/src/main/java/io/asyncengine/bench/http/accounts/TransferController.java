package io.asyncengine.bench.http.accounts;

import io.asyncengine.bench.http.problems.ProblemException;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.Objects;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code POST /api/transfers}, answering as the sample app does: {@code 201} with
 * {@code Location} the first time, {@code 200} with the stored transfer when its id is sent again;
 * {@code 404} unknown account, {@code 422} insufficient funds or one account on both sides,
 * {@code 409} an id reused for another transfer. Runs on the request's virtual thread.
 */
@RestController
public class TransferController {

  private final Transfers transfers;

  TransferController(Transfers transfers) {
    this.transfers = transfers;
  }

  /** Moves money; see the class comment for the answers. */
  @PostMapping("/api/transfers")
  ResponseEntity<Transfer> transfer(@Valid @RequestBody TransferRequest body) {
    Transfer asked = new Transfer(Objects.requireNonNull(body.transferId()), Objects.requireNonNull(body.fromAccount()),
        Objects.requireNonNull(body.toAccount()), Objects.requireNonNull(body.amount()));
    if (asked.fromAccount() == asked.toAccount()) {
      throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "same-account", "Unprocessable transfer",
          "fromAccount and toAccount must differ.");
    }
    try {
      transfers.move(asked);
    } catch (DuplicateKeyException e) {
      Transfer earlier = transfers.find(asked.transferId()).orElseThrow(() -> e);
      if (!earlier.equals(asked)) {
        throw new ProblemException(HttpStatus.CONFLICT, "transfer-id-reused", "Conflict",
            "This transferId was already used for a different transfer.");
      }
      return ResponseEntity.ok(earlier);
    } catch (DataIntegrityViolationException e) {
      throw ProblemException.notFound("account");
    }
    URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path("/api/transfers/{id}")
        .buildAndExpand(asked.transferId()).toUri();
    return ResponseEntity.created(location).body(asked);
  }
}
