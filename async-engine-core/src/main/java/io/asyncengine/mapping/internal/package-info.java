/**
 * The class model behind row mapping and sessions ({@code MappedClass}, {@code MappedProperty})
 * and the reflection that builds it. Not API.
 */
@NullMarked
package io.asyncengine.mapping.internal;

import org.jspecify.annotations.NullMarked;
