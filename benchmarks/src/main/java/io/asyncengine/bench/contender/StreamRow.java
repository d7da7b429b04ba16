package io.asyncengine.bench.contender;

/**
 * A row of {@link io.asyncengine.bench.BenchDatabase#STREAM}, as a user streaming typed rows
 * would declare it; public so that the engine's mapper may construct it.
 */
public record StreamRow(long id, String pad) {}
