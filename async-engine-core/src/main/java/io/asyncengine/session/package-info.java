/**
 * The synchronous unit of work (SQLAlchemy's ORM {@code Session}): identity map, flush order,
 * optimistic locking, over records and POJOs.
 */
@NullMarked
package io.asyncengine.session;

import org.jspecify.annotations.NullMarked;
