/**
 * The machinery under the async facade: lanes, the admission gate, cancel scopes, executors.
 * Not API.
 */
@NullMarked
package io.asyncengine.concurrent.internal;

import org.jspecify.annotations.NullMarked;
