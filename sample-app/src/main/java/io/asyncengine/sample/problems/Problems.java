package io.asyncengine.sample.problems;

import java.net.URI;

/** Problem type URIs: {@code urn:asyncengine:sample:problem:<code>}, one per kind of failure. */
public final class Problems {

  private Problems() {}

  /** The type URI of problem {@code code}. */
  public static URI type(String code) {
    return URI.create("urn:asyncengine:sample:problem:" + code);
  }
}
