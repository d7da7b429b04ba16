/**
 * Implementation of the session: what it tracks ({@code IdentityMap}, {@code EntityState}), the SQL
 * of each entity class ({@code EntityPersister}, {@code SqlIdentifiers}), id coercion
 * ({@code IdCoercion}) and the bridge to the async facade ({@code SessionAccess}). Not API.
 */
@NullMarked
package io.asyncengine.session.internal;

import org.jspecify.annotations.NullMarked;
