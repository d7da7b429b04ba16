/**
 * The async facade (SQLAlchemy's {@code sqlalchemy.ext.asyncio}): {@link
 * io.asyncengine.asyncio.AsyncEngine}, {@link io.asyncengine.asyncio.AsyncConnection}, {@link
 * io.asyncengine.asyncio.AsyncSession} and {@link io.asyncengine.asyncio.AsyncSessionFactory},
 * thin proxies that run the synchronous core on the engine's threads and return futures.
 */
@NullMarked
package io.asyncengine.asyncio;

import org.jspecify.annotations.NullMarked;
