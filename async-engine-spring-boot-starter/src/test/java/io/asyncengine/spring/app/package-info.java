/** @SpringBootTest contexts: an application with the starter and nothing else. */
@NullMarked
package io.asyncengine.spring.app;

import org.jspecify.annotations.NullMarked;
