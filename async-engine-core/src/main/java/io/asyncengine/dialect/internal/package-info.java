/**
 * Implementation of the dialects: the SQL lexer that the dialects and the core's statement parser
 * share. Not API.
 */
@NullMarked
package io.asyncengine.dialect.internal;

import org.jspecify.annotations.NullMarked;
