/**
 * Implementation of the synchronous core: pool creation and access, SQL parsing, parameter
 * binding, what differs between the ways a statement runs, statement caches and timeouts, the
 * running statement and its cancel, the SQLite writer queue, server sessions. Not API.
 */
@NullMarked
package io.asyncengine.core.internal;

import org.jspecify.annotations.NullMarked;
