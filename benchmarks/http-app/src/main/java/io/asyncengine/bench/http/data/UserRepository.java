package io.asyncengine.bench.http.data;

import java.util.Optional;
import org.springframework.data.repository.Repository;

/** Reads users. */
public interface UserRepository extends Repository<UserRow, Long> {

  /** The user with {@code id}. */
  Optional<UserRow> findById(long id);
}
