/**
 * The {@code asyncEngine} health indicator (with Spring Boot's health module on the classpath).
 */
@NullMarked
package io.asyncengine.spring.health;

import org.jspecify.annotations.NullMarked;
