package io.asyncengine.bench.http.data;

import java.util.Optional;
import org.springframework.data.repository.Repository;

/** Reads transfers; they are inserted with {@code JdbcAggregateTemplate.insert} (the id is the client's). */
public interface TransferRepository extends Repository<TransferRow, String> {

  /** The transfer stored under {@code id}. */
  Optional<TransferRow> findById(String id);
}
