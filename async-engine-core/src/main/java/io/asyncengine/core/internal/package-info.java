/**
 * Implementation of the synchronous core: pool access, SQL parsing, parameter binding,
 * statement caches, the SQLite writer queue, server sessions. Not API.
 */
@NullMarked
package io.asyncengine.core.internal;

import org.jspecify.annotations.NullMarked;
