package io.asyncengine.spring.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations async-engine makes, with their keys (Micrometer's documentation form, readable
 * by its docs generator).
 */
public enum AsyncEngineObservationDocumentation implements ObservationDocumentation {

  /**
   * One operation of the engine (a statement, a batch, a stream subscription, a commit, a session
   * flush...), from its call on the caller's thread to the completion of its future; its scope is
   * open around the JDBC work on the connection's lane.
   */
  OPERATION {
    @Override
    public String getName() {
      return DefaultAsyncEngineObservationConvention.OPERATIONS;
    }

    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
      return DefaultAsyncEngineObservationConvention.class;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
      return LowCardinalityKeys.values();
    }

    @Override
    public KeyName[] getHighCardinalityKeyNames() {
      return HighCardinalityKeys.values();
    }
  },

  /**
   * One connection acquisition: from {@code connect()} to the connection borrowed (the wait in the
   * admission gate and the borrow from the pool), or its failure; its scope is open around the
   * borrow.
   */
  CONNECTION_ACQUIRE {
    @Override
    public String getName() {
      return DefaultAsyncEngineObservationConvention.CONNECTIONS_ACQUIRE;
    }

    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
      return DefaultAsyncEngineObservationConvention.class;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
      return LowCardinalityKeys.values();
    }
  };

  /** Keys with few values, fit for metric tags. */
  public enum LowCardinalityKeys implements KeyName {

    /** The operation's kind: {@code connection.execute}, {@code session.flush}, {@code connection.acquire}... */
    KIND {
      @Override
      public String asString() {
        return "kind";
      }
    },

    /** How it ended: {@code success}, {@code error}, {@code cancelled}, {@code timeout}. */
    OUTCOME {
      @Override
      public String asString() {
        return "outcome";
      }
    },

    /** The engine's name ({@code asyncEngine} for the starter's engine). */
    ENGINE {
      @Override
      public String asString() {
        return "engine";
      }
    },

    /** The database: {@code sqlite}, {@code postgresql}, {@code mariadb}, {@code generic}. */
    DB_SYSTEM {
      @Override
      public String asString() {
        return "db.system";
      }
    }
  }

  /** Keys with many values, for traces only. */
  public enum HighCardinalityKeys implements KeyName {

    /** The statement's SQL text, when the operation has one. */
    DB_STATEMENT {
      @Override
      public String asString() {
        return "db.statement";
      }
    },

    /**
     * The parameter values, only with {@code async-engine.observations.include-parameters=true}:
     * one bracketed list per execution.
     */
    DB_PARAMS {
      @Override
      public String asString() {
        return "db.params";
      }

      @Override
      public boolean isRequired() {
        return false;
      }
    }
  }
}
